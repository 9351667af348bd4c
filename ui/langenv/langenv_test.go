package langenv

import "testing"

func TestLanguage(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"LANG=C.UTF-8 gets English", map[string]string{"LANG": "C.UTF-8"}, "en"},
		{"LANG=C gets English", map[string]string{"LANG": "C"}, "en"},
		{"LC_ALL=POSIX wins over LANG", map[string]string{"LC_ALL": "POSIX", "LANG": "de_DE.UTF-8"}, "en"},
		{"a real locale is left alone", map[string]string{"LANG": "de_DE.UTF-8"}, ""},
		{"a LANGUAGE already set is kept", map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "fr"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := language(func(k string) string { return c.env[k] }); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}
