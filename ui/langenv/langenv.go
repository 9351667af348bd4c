// Package langenv names a language for Fyne when the process runs under the C
// or POSIX locale (LANG=C.UTF-8 is Debian's default in containers), which
// Fyne's lang package cannot parse and logs as an error at start-up.
//
// main imports it blank. It imports nothing but os and strings so that it is
// initialised before Fyne's packages (Go initialises the packages whose
// dependencies are ready in import-path order; this one is ready first).
package langenv

import (
	"os"
	"strings"
)

func init() {
	if lang := language(os.Getenv); lang != "" {
		os.Setenv("LANGUAGE", lang)
	}
}

// language returns the LANGUAGE to set, or "" to leave the environment alone.
func language(getenv func(string) string) string {
	if getenv("LANGUAGE") != "" {
		return ""
	}
	loc := getenv("LC_ALL")
	if loc == "" {
		loc = getenv("LC_MESSAGES")
	}
	if loc == "" {
		loc = getenv("LANG")
	}
	if loc == "C" || loc == "POSIX" || strings.HasPrefix(loc, "C.") || strings.HasPrefix(loc, "POSIX.") {
		return "en"
	}
	return ""
}
