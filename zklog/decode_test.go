package zklog

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"onyx-dashboard/model/codec"
	"onyx-dashboard/model/value"
)

func testdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeEntry(t *testing.T) {
	cases := []struct {
		name string
		file string
		fn   string
	}{
		{"a fressian entry with its zero padding", "a-prepare-join.fressian", "prepare-join-cluster"},
		{"a nippy entry", "d-submit-job.nippy-auto", "submit-job"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := DecodeEntry("/onyx/t/log/entry-0000000007", RawEntry{Seq: 7, Created: 1234, Data: testdata(t, c.file)})
			if e.Err != nil {
				t.Fatal(e.Err)
			}
			if e.Seq != 7 || e.Created != 1234 || e.Fn != value.Kw(c.fn) || e.Args == nil {
				t.Errorf("got seq %d created %d fn %v, want 7 1234 :%s", e.Seq, e.Created, e.Fn, c.fn)
			}
		})
	}
}

func TestDecodeEntryFlagsWhatDoesNotDecode(t *testing.T) {
	const path = "/onyx/t/log/entry-0000000003"
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"garbage nippy", []byte("NPY\x00\x5a\x01"), nil},
		{"an empty znode", []byte{}, nil},
		{"a value that is not an entry map", []byte("NPY\x00\x03"), value.ErrNotEntry},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := DecodeEntry(path, RawEntry{Seq: 3, Created: 9, Data: c.data})
			if e.Err == nil {
				t.Fatalf("decoded %v, want an error", e.Entry)
			}
			if !strings.Contains(e.Err.Error(), path) || e.Seq != 3 || e.Created != 9 {
				t.Errorf("flagged entry seq %d created %d err %q: want the seq, the time and the path", e.Seq, e.Created, e.Err)
			}
			if c.want != nil && !errors.Is(e.Err, c.want) {
				t.Errorf("err %v, want %v", e.Err, c.want)
			}
		})
	}
}

func TestDecodeOrigin(t *testing.T) {
	for _, f := range []string{"b-origin.nippy", "origin-large.nippy-auto"} {
		t.Run(f, func(t *testing.T) {
			b := testdata(t, f)
			o, err := DecodeOrigin("/onyx/t/origin/origin", b)
			if err != nil {
				t.Fatal(err)
			}
			v, _, _ := codec.Decode(b)
			want := v.(*value.Map)
			if o.MessageID != want.Val(kwMessageID) || !value.Equal(o.Replica, want.Val(kwReplica)) || len(o.Raw) != len(b) {
				t.Errorf("origin %d differs from the file", o.MessageID)
			}
		})
	}
	fresh, err := DecodeOrigin("/onyx/t/origin/origin", nil)
	if err != nil || fresh.MessageID != -1 || fresh.Raw != nil {
		t.Errorf("absent origin: %+v %v, want message-id -1", fresh, err)
	}
	if _, err := DecodeOrigin("/onyx/t/origin/origin", testdata(t, "a-prepare-join.fressian")); err == nil || !strings.Contains(err.Error(), "/onyx/t/origin/origin") {
		t.Errorf("an entry as origin: %v, want an error naming the path", err)
	}
}

func TestDecodeJobAndParams(t *testing.T) {
	sub := testdata(t, "d-submit-job.nippy-auto")
	raw := map[string][]byte{
		"catalog/j":     sub,
		"task/j/:in":    sub,
		"task/tid-1":    sub,
		"exception/j":   []byte("NPY\x00\x5a"),
		"lifecycles/j":  []byte("NPY\x00\x03"),
		"job-name/j":    testdata(t, "b-origin.nippy"),
		"job-unknown/j": sub,
	}
	j := DecodeJob("/onyx/t", "j", raw)
	if j.Catalog == nil || j.Name == nil || j.Lifecycles != nil || j.Exception != nil {
		t.Errorf("job parts: %+v", j)
	}
	if len(j.Tasks) != 2 || j.Tasks[":in"] == nil || j.Tasks["tid-1"] == nil {
		t.Errorf("tasks %v, want :in and tid-1", j.Tasks)
	}
	if len(j.Errs) != 1 || !strings.Contains(j.Errs[0].Error(), "/onyx/t/exception/j") {
		t.Errorf("errs %v, want the exception's", j.Errs)
	}

	p, err := DecodeParams("/onyx/t", map[string][]byte{ParamJobScheduler: []byte("NPY\x00\x03")})
	if err == nil || !strings.Contains(err.Error(), "/onyx/t/job-scheduler/scheduler") {
		t.Errorf("nil parameters: %+v %v, want an error naming the znode", p, err)
	}
}
