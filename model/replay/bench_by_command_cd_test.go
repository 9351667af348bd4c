package replay

import (
	"fmt"
	"testing"
)

// BenchmarkApplyByCommandCD splits BenchmarkApplyD's log of eras C and D
// by command: each command's share of the time and its mean cost.
func BenchmarkApplyByCommandCD(b *testing.B) {
	for _, c := range []struct{ era, version string }{{"C", "0.9.15"}, {"D", "0.14.6"}} {
		b.Run(fmt.Sprintf("era=%s", c.era), func(b *testing.B) {
			v := MustVersion(c.version)
			start, log, _ := benchLogCD(b, v, 42, 20_000)
			benchByCommand(b, v, start, log)
		})
	}
}
