//! A one-line sparkline in block characters, to sit inside a line of text.

const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One character per value, scaled to the largest: a zero is the lowest bar, any other value
/// at least the second lowest, so a quiet day and a one-booking day look different.
pub fn line(values: &[u64]) -> String {
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    values
        .iter()
        .map(|&v| {
            if v == 0 {
                return LEVELS[0];
            }
            // Rounded to the nearest of levels 1 to 7.
            let level = (v.saturating_mul(14).saturating_add(max) / (2 * max)).clamp(1, 7);
            LEVELS[usize::try_from(level).unwrap_or(7)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_zero_stays_lowest() {
        assert_eq!(line(&[0, 1, 6, 3]), "▁▂█▅");
        assert_eq!(line(&[0, 0]), "▁▁");
        assert_eq!(line(&[1, 100]), "▂█");
        assert_eq!(line(&[]), "");
    }
}
