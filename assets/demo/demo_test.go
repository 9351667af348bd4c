package demo

import (
	"context"
	"sync"
	"testing"
	"time"

	"onyx-dashboard/zklog"
)

func TestTheEmbeddedArchivesAreIntactAndSmall(t *testing.T) {
	as, err := Archives()
	if err != nil {
		t.Fatal(err)
	}
	if len(as) < 3 {
		t.Fatalf("%d archives, want at least 3", len(as))
	}
	total := 0
	for _, a := range as {
		if a.Damage() != nil {
			t.Errorf("%s: %v", a.Meta().Tenancy.ID, a.Damage())
		}
		es, err := a.Read(context.Background(), a.Meta().Tenancy.ID, -1, nil)
		// gendemo ends each log before a gc, so that what survives the
		// last gc is a log worth scrubbing through.
		if err != nil || len(es) < 500 {
			t.Errorf("%s: %d entries, want at least 500; %v", a.Meta().Tenancy.ID, len(es), err)
		}
		for _, e := range es {
			if e.Err != nil {
				t.Fatalf("%s: seq %d: %v", a.Meta().Tenancy.ID, e.Seq, e.Err)
			}
		}
		b, _ := files.ReadFile(a.Meta().Tenancy.ID + ".onyxarc")
		total += len(b)
	}
	if total > 2<<20 {
		t.Errorf("the demo archives take %d bytes, want under 2 MB", total)
	}
}

func TestTheDemoListsEveryTenancyAndTheLiveOneGrows(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	d := Source(ctx)
	defer func() { cancel(); d.Wait() }()
	ts, err := d.Tenancies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) < 4 {
		t.Fatalf("%d tenancies", len(ts))
	}
	got := make(chan int, 16)
	fctx, fcancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { fcancel(); wg.Wait() }()
	wg.Go(func() {
		n := 0
		_ = d.Follow(fctx, LiveTenancy, -1, func(ev zklog.Event) {
			n += len(ev.Entries)
			select {
			case got <- n:
			default:
			}
		})
	})
	timeout := time.After(30 * time.Second)
	for {
		select {
		case n := <-got:
			if n >= 3 {
				return
			}
		case <-timeout:
			t.Fatal("the live tenancy did not grow to 3 entries in 30 s")
		}
	}
}
