package replay

import "testing"

// BenchmarkApplyEraBByCommand is benchByCommand (bench_a_test.go) on the
// generated 0.8.3 log of BenchmarkApply/era=B.
func BenchmarkApplyEraBByCommand(b *testing.B) {
	v := MustVersion("0.8.3")
	start, log := eraBLog(b, v, 100, 10, 100_000)
	benchByCommand(b, v, start, log)
}
