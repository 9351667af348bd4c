package replay

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"onyx-dashboard/model/value"
)

const joinLog = `{:onyx-version "0.5.3"
 :tenancy-id "demo"
 :origin {:message-id 9 :replica {:job-scheduler :onyx.job-scheduler/greedy}}
 :entries
 [{:fn :prepare-join-cluster :args {:joiner :p1}}
  {:fn :prepare-join-cluster :args {:joiner :p2} :message-id 11 :created-at 1433808001000}]}`

func TestReadLogShapes(t *testing.T) {
	v053 := MustVersion("0.5.3")
	tests := []struct {
		name      string
		text      string
		override  *Version
		version   string
		tenancy   string
		originSeq int64
		seqs      []int64
	}{
		{"a full log file numbers entries after its origin", joinLog, nil, "0.5.3", "demo", 9, []int64{10, 11}},
		{"a bare vector takes the given version and starts at -1",
			`[{:fn :gc :args {:id :g}} {:fn :gc :args {:id :h}}]`, &v053, "0.5.3", "", -1, []int64{0, 1}},
		{"a file without origin starts at -1",
			`{:onyx-version "0.6.0" :entries [{:fn :gc :args {}}]}`, nil, "0.6.0", "", -1, []int64{0}},
		{"a fixture case starts from its initial replica",
			`{:onyx-version "0.5.3" :name "x" :initial-replica {:peers []} :entries [{:fn :gc :args {} :message-id 0}] :replicas [{}]}`,
			nil, "0.5.3", "", -1, []int64{0}},
		{"the override wins over the file's version", joinLog, func() *Version { v := MustVersion("0.5.1"); return &v }(), "0.5.1", "demo", 9, []int64{10, 11}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := ReadLog([]byte(tt.text), tt.override)
			if err != nil {
				t.Fatal(err)
			}
			if l.Version.String() != tt.version || l.TenancyID != tt.tenancy || l.OriginSeq != tt.originSeq {
				t.Errorf("got version %s tenancy %q origin %d, want %s %q %d", l.Version, l.TenancyID, l.OriginSeq, tt.version, tt.tenancy, tt.originSeq)
			}
			var seqs []int64
			for _, e := range l.Entries {
				seqs = append(seqs, e.Seq)
			}
			if len(seqs) != len(tt.seqs) {
				t.Fatalf("got entries %v, want %v", seqs, tt.seqs)
			}
			for i := range seqs {
				if seqs[i] != tt.seqs[i] {
					t.Errorf("entry %d: seq %d, want %d", i, seqs[i], tt.seqs[i])
				}
			}
		})
	}
}

func TestReadLogErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"a bare vector without a version", `[{:fn :gc :args {}}]`, "no onyx version"},
		{"an unknown version", `{:onyx-version "0.4.0" :entries []}`, "not supported"},
		{"entries that are not maps", `{:onyx-version "0.5.3" :entries [1]}`, "entry 0"},
		{"unreadable EDN", `{:onyx-version "0.5.3" :entries [`, "read log"},
		{"a number", `42`, "want a map or a vector"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadLog([]byte(tt.text), nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
	if _, err := ReadLog([]byte(`[]`), nil); !errors.Is(err, ErrNoVersion) {
		t.Errorf("bare vector: got %v, want ErrNoVersion", err)
	}
}

func TestWriteLogReadsBack(t *testing.T) {
	l, err := ReadLog([]byte(joinLog), nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteLog(&buf, l); err != nil {
		t.Fatal(err)
	}
	back, err := ReadLog(buf.Bytes(), nil)
	if err != nil {
		t.Fatalf("read back: %v\n%s", err, buf.String())
	}
	if back.Version != l.Version || back.TenancyID != l.TenancyID || back.OriginSeq != l.OriginSeq ||
		!value.Equal(back.Origin.Map(), l.Origin.Map()) || len(back.Entries) != len(l.Entries) {
		t.Fatalf("read back %+v, want %+v", back, l)
	}
	for i := range l.Entries {
		if !value.Equal(back.Entries[i].Value(), l.Entries[i].Value()) {
			t.Errorf("entry %d: got %s, want %s", i, value.PrStr(back.Entries[i].Value()), value.PrStr(l.Entries[i].Value()))
		}
	}
}
