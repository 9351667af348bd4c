package codec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"onyx-dashboard/model/codec/edn"
	"onyx-dashboard/model/value"
)

func TestSniffNamesTheFormat(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want Format
	}{
		{"empty", "", Unknown},
		{"blank", " \n\t, ", Unknown},
		{"nippy", "NPY\x00\x03", Nippy},
		{"nippy lz4", "NPY\x08\x00\x00\x00\x01\x10\x03", NippyLZ4},
		{"nippy, meta byte missing", "NPY", Nippy},
		{"encrypted nippy is still nippy", "NPY\x0e", Nippy},
		{"edn map", "{:fn :gc, :args {}}\n", EDN},
		{"edn after blanks", "\n  [1 2]", EDN},
		{"edn keyword", ":a", EDN},
		{"edn tagged", `#uuid "f47ac10b-58cc-4372-a567-0e02b2c3d479"`, EDN},
		{"edn number", "42", EDN},
		{"edn symbol", "nil", EDN},
		{"fressian map", "\xc0\xe6\xca\xf7\xcd\xdc\x66\x6e", Fressian},
		{"fressian nil with padding", "\xf7" + strings.Repeat("\x00", 31), Fressian},
		{"fressian int with padding", "1\x00\x00", Fressian},
		{"text with a control character", "{:a 1}\x01", Fressian},
		{"invalid utf-8", "{\xff}", Fressian},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Sniff([]byte(c.in)); got != c.want {
				t.Errorf("Sniff(%q) = %v, want %v", c.in, got, c.want)
			}
		})
	}
}

func TestDecodeEveryFormatToItsEDN(t *testing.T) {
	cases := []struct {
		file string
		want Format
	}{
		{"b-submit-job.nippy", Nippy},
		{"origin-large.nippy-auto", NippyLZ4},
		{"a-submit-job.fressian", Fressian},
		{"nil.fressian", Fressian},
		{"str-127.fressian", Fressian},
		{"a-submit-job.edn", EDN},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			b := read(t, c.file)
			v, f, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if f != c.want {
				t.Errorf("format %v, want %v", f, c.want)
			}
			goldenPath := strings.TrimSuffix(c.file, filepath.Ext(c.file)) + ".edn"
			want, err := edn.Read(read(t, goldenPath))
			if err != nil {
				t.Fatal(err)
			}
			if !value.Equal(v, want) {
				t.Errorf("got %s, want %s", value.PrStr(v), value.PrStr(want))
			}
		})
	}
}

func TestDecodeErrorsNameFormatAndOffset(t *testing.T) {
	nippyTrunc := read(t, "b-submit-job.nippy")
	nippyTrunc = nippyTrunc[:len(nippyTrunc)-3]
	fressianTrunc := read(t, "a-submit-job.fressian")[:40]
	cases := []struct {
		name   string
		in     []byte
		prefix string
		is     error
	}{
		{"empty", nil, "unknown: offset 0: empty or blank input", ErrUnknownFormat},
		{"truncated nippy", nippyTrunc, "nippy: offset ", ErrTruncated},
		{"encrypted nippy", []byte("NPY\x02\x03"), "nippy: offset 3: unsupported compression/encryption (meta byte 2", ErrUnsupported},
		{"bad lz4 body", []byte("NPY\x08\x00\x00\x00\x01\x10\x67"), "nippy: lz4 body offset 0: unknown type id 103", nil},
		{"truncated fressian", fressianTrunc, "fressian: offset ", ErrTruncated},
		{"fressian with junk after it", []byte("\xf7\x00\x05"), "fressian: offset 2: byte 0x05 after the value", nil},
		{"bad edn", []byte("{:a 1"), "edn: offset ", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, _, err := Decode(c.in)
			if err == nil {
				t.Fatalf("decoded %s, want an error", value.PrStr(v))
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T is not a *DecodeError", err)
			}
			if !strings.HasPrefix(err.Error(), c.prefix) {
				t.Errorf("error %q, want it to start %q", err, c.prefix)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("errors.Is(%q, %v) is false", err, c.is)
			}
		})
	}
}

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzDecode: whatever the bytes, Decode returns a value or a *DecodeError,
// and never panics.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"b-submit-job.nippy", "origin-large.nippy-auto", "a-submit-job.fressian", "nil.fressian", "a-submit-job.edn"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _, err := Decode(b)
		var de *DecodeError
		if err != nil && !errors.As(err, &de) {
			t.Fatalf("error %T %v is not a *DecodeError", err, err)
		}
	})
}
