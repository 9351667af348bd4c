package edn

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"onyx-dashboard/model/value"
)

// FuzzEDN reads arbitrary text: reading never panics, fails only with a
// *SyntaxError, and a value that reads prints (PrStr and Pretty) to text that
// reads back to an equal value printing the same way.
func FuzzEDN(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.edn*")
	for _, p := range files {
		b := readTestdata(f, p)
		if len(b) <= 16<<10 { // larger seeds make minimizing slow
			f.Add(b)
		}
	}
	for _, s := range []string{
		`#:a{:b 1 :_/c 2}`, `[1N 2M 1/2 0x1F 2r10 ##NaN ##-Inf -0.0 1e400]`, `\newline \u00e9 \o101 "\ud83d\ude00"`,
		`#inst "2015-02-13T21:39:03.123+01:00"`, `^:m #_ x #tag {(1) #{[]}}`, `#bytes "AAEC"`, `:a/b/c a#b :1`,
	} {
		f.Add([]byte(s))
	}
	if entries, err := os.ReadDir("testdata/fuzz/FuzzEDN"); err == nil {
		f.Logf("%d saved crashers replay from testdata/fuzz", len(entries))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := Read(b)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *SyntaxError", err)
			}
			return
		}
		s := value.PrStr(v)
		back, err := Read([]byte(s))
		if err != nil {
			t.Fatalf("PrStr output %q does not read: %v", s, err)
		}
		if again := value.PrStr(back); again != s {
			t.Fatalf("printed %q, read back and printed %q", s, again)
		}
		if !strings.Contains(s, "##NaN") && !value.Equal(v, back) {
			t.Fatalf("%q reads back to a different value", s)
		}
		pretty := value.Pretty(v, 20)
		fromPretty, err := Read([]byte(pretty))
		if err != nil {
			t.Fatalf("Pretty output %q does not read: %v", pretty, err)
		}
		if got := value.PrStr(fromPretty); got != s {
			t.Fatalf("Pretty output %q reads back as %q, want %q", pretty, got, s)
		}
	})
}
