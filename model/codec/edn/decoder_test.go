package edn

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"onyx-dashboard/model/value"
)

func TestDecoderReadsEveryTopLevelForm(t *testing.T) {
	const input = "{:fn :gc, :args {}} ; a comment\n 12345 [1 2.5 \"x\"] #_ :gone :kw ##-Inf\n#uuid \"f47ac10b-58cc-4372-a567-0e02b2c3d479\"   "
	want, err := ReadAll([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 6 {
		t.Fatalf("ReadAll: got %d forms, want 6", len(want))
	}
	readers := map[string]func() io.Reader{
		"whole":       func() io.Reader { return strings.NewReader(input) },
		"one byte":    func() io.Reader { return iotest.OneByteReader(strings.NewReader(input)) },
		"half chunks": func() io.Reader { return iotest.HalfReader(strings.NewReader(input)) },
		"data w/ EOF": func() io.Reader { return iotest.DataErrReader(strings.NewReader(input)) },
	}
	for name, mk := range readers {
		t.Run("reading "+name, func(t *testing.T) {
			d := NewDecoder(mk())
			for i, w := range want {
				got, err := d.Decode()
				if err != nil {
					t.Fatalf("form %d: %v", i, err)
				}
				if !value.Equal(got, w) {
					t.Fatalf("form %d: got %s, want %s", i, value.PrStr(got), value.PrStr(w))
				}
			}
			if _, err := d.Decode(); err != io.EOF {
				t.Fatalf("after the last form: got %v, want io.EOF", err)
			}
		})
	}
}

func TestDecoderReportsErrorPositionsAcrossForms(t *testing.T) {
	d := NewDecoder(iotest.OneByteReader(strings.NewReader("1 2\n[3\n  4)")))
	for i := 0; i < 2; i++ {
		if _, err := d.Decode(); err != nil {
			t.Fatalf("form %d: %v", i, err)
		}
	}
	_, err := d.Decode()
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("got %v, want a *SyntaxError", err)
	}
	if se.Line != 3 || se.Col != 4 || se.Offset != 10 {
		t.Fatalf("got line %d col %d offset %d, want line 3 col 4 offset 10 (%v)", se.Line, se.Col, se.Offset, err)
	}
	if _, again := d.Decode(); again != err {
		t.Fatalf("after an error Decode returned %v, want the same error", again)
	}
}

func TestDecoderPassesOnReadErrors(t *testing.T) {
	boom := errors.New("boom")
	d := NewDecoder(io.MultiReader(strings.NewReader("[1 2"), iotest.ErrReader(boom)))
	if _, err := d.Decode(); !errors.Is(err, boom) {
		t.Fatalf("got %v, want the reader's error", err)
	}
}

type stuckReader struct{}

func (stuckReader) Read([]byte) (int, error) { return 0, nil }

func TestDecoderGivesUpOnAReaderThatNeverReturnsData(t *testing.T) {
	if _, err := NewDecoder(stuckReader{}).Decode(); !errors.Is(err, io.ErrNoProgress) {
		t.Fatalf("got %v, want io.ErrNoProgress", err)
	}
}
