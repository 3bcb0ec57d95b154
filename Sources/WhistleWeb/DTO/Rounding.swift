/// Figures leave the server rounded to a hundredth (as the CSV and XLSX exports print them),
/// so JSON never carries float noise such as `96.39999999999999`.
func hundredths(_ value: Double?) -> Double? {
    value.map(hundredths)
}

func hundredths(_ value: Double) -> Double {
    guard value.isFinite else { return value }
    return (value * 100).rounded() / 100
}

/// Rates (fractions 0…1) keep six decimals, enough for any percentage shown, without the noise.
func tidyRate(_ value: Double?) -> Double? {
    value.map { $0.isFinite ? ($0 * 1_000_000).rounded() / 1_000_000 : $0 }
}
