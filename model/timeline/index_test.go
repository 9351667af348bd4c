package timeline

import (
	"strings"
	"testing"
)

func TestToLowerIsStringsToLower(t *testing.T) {
	for _, s := range []string{"", "abc", "ABC :Signal-Ready #UUID \"3F6E\"", "Ünïcödé ÀB", "\xffBad\xfe UTF-8", "İstanbul", "ǅ"} {
		if got, want := string(toLower([]byte(s))), strings.ToLower(s); got != want {
			t.Errorf("toLower(%q) = %q, want %q", s, got, want)
		}
	}
}
