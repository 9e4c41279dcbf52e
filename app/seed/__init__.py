"""Demo data (`techx seed-demo`, first start of `techx serve`) and the row builders shared with
the benchmark generator."""
