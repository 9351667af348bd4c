// Package demo is the bundled demo: archives of simulated Onyx clusters of
// a few versions (written by go run ./zklog/sim/cmd/gendemo) and one live
// simulated tenancy that keeps changing, served as one zklog.Source so the
// app shows a realistic cluster without ZooKeeper.
package demo

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/archive"
	"onyx-dashboard/zklog/sim"
)

//go:embed *.onyxarc
var files embed.FS

// LiveTenancy is the id of the live simulated tenancy.
const LiveTenancy = "demo-live-0.8.3"

// Archives opens the embedded archives, by file name order.
func Archives() ([]*archive.Archive, error) {
	names, err := fs.Glob(files, "*.onyxarc")
	if err != nil {
		return nil, err
	}
	var out []*archive.Archive
	for _, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		a, err := archive.NewReader(bytes.NewReader(b), int64(len(b)), "demo/"+n)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// Demo is the demo Source: the embedded archives and the live tenancy.
type Demo struct {
	byID map[string]zklog.Source
	ids  []string
	live *sim.LiveSource
}

var (
	_ zklog.Source      = (*Demo)(nil)
	_ zklog.ChunkReader = (*Demo)(nil)
)

// Source returns the demo. The live tenancy is simulated by a goroutine that
// ends with ctx; Wait waits for it.
func Source(ctx context.Context) *Demo {
	d := &Demo{byID: map[string]zklog.Source{}}
	as, _ := Archives() // the embedded files are tested; a failure leaves them out
	for _, a := range as {
		id := a.Meta().Tenancy.ID
		d.byID[id] = a
		d.ids = append(d.ids, id)
	}
	d.live = sim.Live(ctx, sim.Config{Version: "0.8.3", Seed: 2016, Peers: 6, Jobs: 3, Rate: 2, Tenancy: LiveTenancy})
	d.byID[LiveTenancy] = d.live
	d.ids = append(d.ids, LiveTenancy)
	slices.Sort(d.ids)
	return d
}

// Wait blocks until the live simulation stopped (after ctx ended).
func (d *Demo) Wait() { d.live.Wait() }

func (d *Demo) get(id string) (zklog.Source, error) {
	s, ok := d.byID[id]
	if !ok {
		return nil, fmt.Errorf("demo tenancy %q: %w", id, zklog.ErrNoTenancy)
	}
	return s, nil
}

// Tenancies lists every demo tenancy.
func (d *Demo) Tenancies(ctx context.Context) ([]zklog.Tenancy, error) {
	var out []zklog.Tenancy
	var mu sync.Mutex
	for _, id := range d.ids {
		ts, err := d.byID[id].Tenancies(ctx)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		out = append(out, ts...)
		mu.Unlock()
	}
	slices.SortFunc(out, func(a, b zklog.Tenancy) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func (d *Demo) Open(ctx context.Context, id string) (zklog.Header, error) {
	s, err := d.get(id)
	if err != nil {
		return zklog.Header{}, err
	}
	return s.Open(ctx, id)
}

func (d *Demo) Read(ctx context.Context, id string, from int64, p zklog.Progress) ([]zklog.Entry, error) {
	s, err := d.get(id)
	if err != nil {
		return nil, err
	}
	return s.Read(ctx, id, from, p)
}

// ReadChunks reads a demo tenancy a chunk at a time, with its source's own
// ReadChunks when it has one (the archives do).
func (d *Demo) ReadChunks(ctx context.Context, id string, from int64, chunk int, p zklog.Progress, fn func([]zklog.Entry) error) error {
	s, err := d.get(id)
	if err != nil {
		return err
	}
	return zklog.ReadChunks(ctx, s, id, from, chunk, p, fn)
}

func (d *Demo) Follow(ctx context.Context, id string, from int64, deliver func(zklog.Event)) error {
	s, err := d.get(id)
	if err != nil {
		return err
	}
	return s.Follow(ctx, id, from, deliver)
}

func (d *Demo) Job(ctx context.Context, id, jobID string, taskIDs []string) (zklog.Job, error) {
	s, err := d.get(id)
	if err != nil {
		return zklog.Job{}, err
	}
	return s.Job(ctx, id, jobID, taskIDs)
}
