package edn

import (
	"fmt"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	olympos "olympos.io/encoding/edn"

	"onyx-dashboard/model/value"
)

// fromOlympos converts what olympos.io/encoding/edn decodes into interface{}
// to our value model, so the two readers can be compared. It cannot tell a
// list from a vector (both are []interface{}), which value.Equal ignores too.
func fromOlympos(v any) (value.Value, error) {
	switch x := v.(type) {
	case nil, bool, int64, float64, string:
		return x, nil
	case *any: // olympos decodes collection keys behind pointers
		return fromOlympos(*x)
	case rune:
		return value.Char(x), nil
	case olympos.Keyword:
		return value.Kw(string(x)), nil
	case olympos.Symbol:
		return value.Sym(string(x)), nil
	case big.Int:
		return &x, nil
	case *big.Int:
		return x, nil
	case time.Time:
		return value.InstMillis(x.UnixMilli()), nil
	case olympos.Tag:
		inner, err := fromOlympos(x.Value)
		if err != nil {
			return nil, err
		}
		if s, ok := inner.(string); ok && x.Tagname == "uuid" {
			return value.ParseUUID(s)
		}
		return value.Tagged{Tag: x.Tagname, Value: inner}, nil
	case []any:
		out := make(value.Vector, len(x))
		for i, it := range x {
			var err error
			if out[i], err = fromOlympos(it); err != nil {
				return nil, err
			}
		}
		return out, nil
	case map[any]any:
		kvs := make([]value.Value, 0, 2*len(x))
		for k, v := range x {
			kk, err := fromOlympos(k)
			if err != nil {
				return nil, err
			}
			vv, err := fromOlympos(v)
			if err != nil {
				return nil, err
			}
			kvs = append(kvs, kk, vv)
		}
		return value.NewMap(kvs...), nil
	case map[any]bool:
		items := make([]value.Value, 0, len(x))
		for k := range x {
			kk, err := fromOlympos(k)
			if err != nil {
				return nil, err
			}
			items = append(items, kk)
		}
		return value.NewSet(items...), nil
	}
	return nil, fmt.Errorf("olympos gave a %T", v)
}

// TestReadAgreesWithOlympos reads every testdata file with both readers: where
// olympos can read a file (it rejects ##Inf, #:ns{} and ratios), the values
// must be equal.
func TestReadAgreesWithOlympos(t *testing.T) {
	files, err := filepath.Glob("testdata/*/*.edn*")
	if err != nil {
		t.Fatal(err)
	}
	agreed, rejected := 0, 0
	for _, f := range files {
		text := readTestdata(t, f)
		var raw any
		if err := olympos.Unmarshal(text, &raw); err != nil {
			rejected++
			continue
		}
		theirs, err := fromOlympos(raw)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		ours, err := Read(text)
		if err != nil {
			t.Errorf("%s: olympos reads it, we fail: %v", f, err)
			continue
		}
		if !value.Equal(ours, theirs) {
			t.Errorf("%s: the readers disagree:\n ours   %s\n theirs %s", f, value.PrStr(ours), value.PrStr(theirs))
			continue
		}
		agreed++
	}
	t.Logf("%d files read alike, %d rejected by olympos", agreed, rejected)
	if agreed < 60 {
		t.Errorf("only %d files could be compared, want at least 60", agreed)
	}
}

// BenchmarkOlympos reads the same typical entries with olympos.io/encoding/edn
// into interface{}, for the comparison in docs/edn.md.
func BenchmarkOlympos(b *testing.B) {
	text, _ := typicalEntries(b)
	var lines [][]byte
	for _, l := range splitLines(text) {
		var raw any
		if olympos.Unmarshal(l, &raw) == nil {
			lines = append(lines, l)
		}
	}
	size := 0
	for _, l := range lines {
		size += len(l)
	}
	b.Run("typical entries it can read", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for _, l := range lines {
				var raw any
				if err := olympos.Unmarshal(l, &raw); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(len(lines)*b.N)/b.Elapsed().Seconds(), "entries/s")
	})
	b.Run("ours on the same entries", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for _, l := range lines {
				if _, err := Read(l); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(len(lines)*b.N)/b.Elapsed().Seconds(), "entries/s")
	})
}

func splitLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := 0
		for i < len(b) && b[i] != '\n' {
			i++
		}
		out = append(out, b[:i])
		if i < len(b) {
			i++
		}
		b = b[i:]
	}
	return out
}
