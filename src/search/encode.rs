//! LEB128 varints and length-prefixed bytes: how every number in the index
//! files is written, as `static/search.js` reads them.

pub fn varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// The varint at `*at`, moving `*at` past it.
pub fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let (mut value, mut shift) = (0u32, 0);
    loop {
        let byte = bytes[*at];
        *at += 1;
        value |= u32::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return value;
        }
        shift += 7;
    }
}

pub fn bytes(out: &mut Vec<u8>, text: &[u8]) {
    varint(out, text.len() as u32);
    out.extend_from_slice(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_are_leb128() {
        let mut out = Vec::new();
        varint(&mut out, 127);
        varint(&mut out, 300);
        assert_eq!(out, vec![127, 0xac, 0x02]);
        let mut at = 0;
        assert_eq!((read_varint(&out, &mut at), read_varint(&out, &mut at)), (127, 300));
    }
}
