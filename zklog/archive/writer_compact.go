package archive

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"onyx-dashboard/model/value"
)

// live is a record Close keeps: where it is and which index slot points
// to it.
type live struct {
	off  int64
	slot *int64
}

// compact copies the records that are still live (those the index points
// to, except the job znodes nothing can show any more) into a new temporary
// file, which replaces the one written so far; the index is updated to the
// new offsets. Only Close calls it, last. A writer whose origin dropped
// nothing never compacts, so capturing a tenancy from ZooKeeper writes its
// file once.
func (w *Writer) compact() {
	if w.err != nil {
		return
	}
	if err := w.bw.Flush(); err != nil {
		w.err = fmt.Errorf("write archive %s: %w", w.path, err)
		return
	}
	x := &w.idx
	jobs := x.jobs[:0]
	for _, j := range x.jobs {
		if j.off > w.deadEnd || w.originJobs[j.job] {
			jobs = append(jobs, j)
		}
	}
	x.jobs = jobs
	recs := make([]live, 0, len(x.offs)+len(x.cpOffs)+len(x.jobs)+len(x.others))
	for i := range x.offs {
		recs = append(recs, live{x.offs[i], &x.offs[i]})
	}
	for i := range x.cpOffs {
		recs = append(recs, live{x.cpOffs[i], &x.cpOffs[i]})
	}
	for i := range x.jobs {
		recs = append(recs, live{x.jobs[i].off, &x.jobs[i].off})
	}
	for i := range x.others {
		recs = append(recs, live{x.others[i], &x.others[i]})
	}
	slices.SortFunc(recs, func(a, b live) int { return cmp.Compare(a.off, b.off) })

	f, err := os.CreateTemp(filepath.Dir(w.path), "."+filepath.Base(w.path)+".tmp*")
	if err != nil {
		w.err = fmt.Errorf("compact archive %s: %w", w.path, err)
		return
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	fail := func(err error) {
		_ = f.Close()
		_ = os.Remove(f.Name())
		w.err = fmt.Errorf("compact archive %s: %w", w.path, err)
	}
	br := bufio.NewReaderSize(io.NewSectionReader(w.f, 0, w.off), 1<<20)
	pos := int64(0)
	out := int64(headerLen)
	if _, err := bw.Write(header()); err != nil {
		fail(err)
		return
	}
	head := make([]byte, 5)
	for _, r := range recs {
		if _, err := br.Discard(int(r.off - pos)); err != nil {
			fail(fmt.Errorf("offset %d: %w", r.off, err))
			return
		}
		if _, err := io.ReadFull(br, head); err != nil {
			fail(fmt.Errorf("offset %d: %w", r.off, err))
			return
		}
		n := int64(frameLen) + int64(binary.BigEndian.Uint32(head[1:5]))
		if _, err := bw.Write(head); err != nil {
			fail(err)
			return
		}
		if _, err := io.CopyN(bw, br, n-5); err != nil {
			fail(fmt.Errorf("offset %d: %w", r.off, err))
			return
		}
		pos = r.off + n
		*r.slot = out
		out += n
	}
	_ = w.f.Close()
	_ = os.Remove(w.tmp)
	w.f, w.tmp, w.bw, w.off = f, f.Name(), bw, out
	w.dirty = false
}

// originJobs are the ids of the jobs an origin's replica names: running,
// killed and completed (the jobs an archive must keep the znodes of).
func originJobs(replica value.Value) map[string]bool {
	om, ok := replica.(*value.Map)
	if !ok {
		return nil
	}
	ids := map[string]bool{}
	for _, k := range []value.Keyword{kwJobs, kwKilled, kwDone} {
		for _, j := range value.Items(om.Val(k)) {
			if s := IDString(j); s != "" {
				ids[s] = true
			}
		}
	}
	return ids
}
