package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"onyx-dashboard/model/codec/nippy"
	"onyx-dashboard/model/value"
)

func TestDecodeCommand(t *testing.T) {
	entry := value.NewMap(value.Kw("fn"), value.Kw("gc"), value.Kw("args"),
		value.NewMap(value.Kw("id"), value.MustUUID("f47ac10b-58cc-4372-a567-0e02b2c3d479")))
	const entryEDN = `{:fn :gc, :args {:id #uuid "f47ac10b-58cc-4372-a567-0e02b2c3d479"}}`
	plain, err := nippy.Encode(entry, nippy.EncodeOptions{Compress: nippy.CompressNever})
	if err != nil {
		t.Fatal(err)
	}
	lz4, err := nippy.Encode(entry, nippy.EncodeOptions{Compress: nippy.CompressAlways})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name      string
		args      []string
		stdin     []byte
		code      int
		stdout    string
		stderrHas string
	}{
		{name: "nippy file", args: []string{write("e.nippy", plain)}, stdout: entryEDN + "\n"},
		{name: "lz4 nippy from stdin", args: []string{"-"}, stdin: lz4, stdout: entryEDN + "\n"},
		{name: "stdin without an argument", stdin: []byte(entryEDN), stdout: entryEDN + "\n"},
		{name: "fressian nil with padding", args: []string{write("nil.fressian", append([]byte{0xF7}, make([]byte, 31)...))}, stdout: "nil\n"},
		{name: "pretty", args: []string{"--pretty", "--width", "30", write("p.nippy", plain)},
			stdout: value.Pretty(entry, 30) + "\n"},
		{name: "truncated nippy", args: []string{write("t.nippy", plain[:len(plain)-5])}, code: exitFailure,
			stderrHas: "t.nippy: nippy: offset 27: truncated uuid: want 16 bytes, 11 left"},
		{name: "unknown type id", args: []string{write("u.nippy", []byte("NPY\x00\x67"))}, code: exitFailure,
			stderrHas: "nippy: offset 4: unknown type id 103"},
		{name: "bad edn", stdin: []byte("{:a"), code: exitFailure, stderrHas: "stdin: edn: offset 3"},
		{name: "empty input", stdin: nil, code: exitFailure, stderrHas: "unknown: offset 0: empty or blank input"},
		{name: "missing file", args: []string{filepath.Join(dir, "none")}, code: exitFailure, stderrHas: "no such file"},
		{name: "two files", args: []string{"a", "b"}, code: exitUsage, stderrHas: `unexpected argument "b"`},
		{name: "bad flag", args: []string{"--nope"}, code: exitUsage, stderrHas: "flag provided but not defined"},
		{name: "help", args: []string{"--help"}, stdout: "usage: onyx-dashboard decode [--pretty] [--width N] [FILE|-]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stdin = bytes.NewReader(c.stdin)
			defer func() { stdin = os.Stdin }()
			var out, errOut bytes.Buffer
			code := runCommand(append([]string{"decode"}, c.args...), &out, &errOut)
			if code != c.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, c.code, errOut.String())
			}
			switch {
			case c.name == "help":
				if !strings.HasPrefix(out.String(), c.stdout) {
					t.Errorf("stdout %q, want it to start %q", out.String(), c.stdout)
				}
			case out.String() != c.stdout:
				t.Errorf("stdout %q, want %q", out.String(), c.stdout)
			}
			if !strings.Contains(errOut.String(), c.stderrHas) {
				t.Errorf("stderr %q, want it to contain %q", errOut.String(), c.stderrHas)
			}
		})
	}
}
