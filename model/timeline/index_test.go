package timeline

import (
	"strings"
	"testing"
)

func TestToLowerIsStringsToLower(t *testing.T) {
	var ascii []byte
	for c := range 128 {
		ascii = append(ascii, byte(c))
	}
	cases := []string{"", "abc", "ABC :Signal-Ready #UUID \"3F6E\"", "Ünïcödé ÀB", "\xffBad\xfe UTF-8", "İstanbul", "ǅ",
		"@AZ[`az{ @AZ[`az{ @AZ[`az{", "ABCDEFGHIJKLMNOPQRSTUVWXYZ-abcdefghijklmnopqrstuvwxyz É"}
	for i := range 9 { // every byte at every place in a word
		cases = append(cases, string(ascii[i:]), string(ascii[:len(ascii)-i]))
	}
	for _, s := range cases {
		if got, want := string(toLower([]byte(s))), strings.ToLower(s); got != want {
			t.Errorf("toLower(%q) = %q, want %q", s, got, want)
		}
	}
}
