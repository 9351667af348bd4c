package ui

import (
	"context"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/zklog/archive"
)

// archiveOfFixture writes fixture NAME into an archive file and opens it.
func archiveOfFixture(t *testing.T, name string) (*archive.Archive, string, string) {
	t.Helper()
	b, _ := inspectLog(t, name)
	m, err := archive.FromEDN(b, name, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := m.Tenancies(context.Background())
	if err != nil || len(ts) != 1 {
		t.Fatalf("tenancies of %s: %v %v", name, ts, err)
	}
	id := ts[0].ID
	path := filepath.Join(t.TempDir(), name+".onyxarchive")
	if err := saveArchiveFile(context.Background(), m, id, path, "test", nil); err != nil {
		t.Fatal(err)
	}
	a, err := archive.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a, id, path
}

func TestBookmarkIsSavedIntoTheArchiveAndReadBack(t *testing.T) {
	h := newFakeHost(t)
	a, id, path := archiveOfFixture(t, "0.8.3-port-two-job-test")
	h.src = a
	var saved error = context.Canceled
	addBookmark(h, id, archive.Bookmark{Seq: 7, Note: "the second peer joins"}, func(err error) { saved = err })
	if saved != nil {
		t.Fatalf("saving the bookmark: %v", saved)
	}
	if len(h.tasks) != 1 {
		t.Errorf("the archive was saved through %d tasks, want 1 (off the UI goroutine)", len(h.tasks))
	}
	b, err := archive.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	bs := b.Bookmarks()
	if len(bs) != 1 || bs[0].Seq != 7 || bs[0].Note != "the second peer joins" || bs[0].Created.IsZero() {
		t.Fatalf("bookmarks read back: %+v", bs)
	}
	// Kept in the preferences too, and listed once.
	if got := bookmarksOf(h, id); len(got) != 1 || got[0].Note != "the second peer joins" {
		t.Errorf("bookmarks of the tenancy: %+v", got)
	}
	if got := prefBookmarksOf(h.preferences(), id); len(got) != 1 || got[0].Seq != 7 {
		t.Errorf("bookmarks in the preferences: %+v", got)
	}

	removeBookmark(h, id, 7, nil)
	c, err := archive.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if len(c.Bookmarks()) != 0 || len(bookmarksOf(h, id)) != 0 {
		t.Errorf("after removing: archive %+v, listed %+v", c.Bookmarks(), bookmarksOf(h, id))
	}
}

func TestSavingAsArchiveWritesTheBookmarksIn(t *testing.T) {
	b, _ := inspectLog(t, "0.5.3-port-one-job-test")
	m, err := archive.FromEDN(b, "one-job", nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "one-job.onyxarchive")
	bs := []archive.Bookmark{{Seq: 3, Note: "a"}, {Seq: 9, Note: "b"}}
	if err := saveArchiveFile(context.Background(), m, "one-job", path, "test", bs); err != nil {
		t.Fatal(err)
	}
	a, err := archive.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	got := a.Bookmarks()
	if len(got) != 2 || got[0].Seq != 3 || got[1].Note != "b" {
		t.Errorf("bookmarks in the saved archive: %+v", got)
	}
}

func TestBookmarksSurviveOddNotesInThePreferences(t *testing.T) {
	h := newFakeHost(t)
	addBookmark(h, "t", archive.Bookmark{Seq: 5, Note: "tab\there\nnewline"}, nil)
	addBookmark(h, "t", archive.Bookmark{Seq: 2, Note: "first"}, nil)
	addBookmark(h, "other", archive.Bookmark{Seq: 1, Note: "elsewhere"}, nil)
	got := bookmarksOf(h, "t")
	if len(got) != 2 || got[0].Seq != 2 || got[1].Note != "tab here newline" {
		t.Errorf("bookmarks of t: %+v", got)
	}
}

func TestBookmarkListGoesToAndRemovesBookmarks(t *testing.T) {
	h := newFakeHost(t)
	tl := inspectTimeline(t, "0.8.3-port-two-job-test")
	addBookmark(h, "inspect", archive.Bookmark{Seq: tl.Seq(3), Note: "three"}, nil)
	addBookmark(h, "inspect", archive.Bookmark{Seq: tl.Seq(8), Note: "eight"}, nil)
	closed := 0
	o := bookmarkList(h, "inspect", tl, func() { closed++ })
	w := test.NewTempWindow(t, o)
	w.Resize(fyne.NewSize(500, 300))
	var goTo, remove []*widget.Button
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok {
			if b.Text == "Go to" {
				goTo = append(goTo, b)
			} else {
				remove = append(remove, b)
			}
		}
	}
	if len(goTo) != 2 || len(remove) != 2 {
		t.Fatalf("%d Go to and %d remove buttons, want 2 each", len(goTo), len(remove))
	}
	test.Tap(goTo[1])
	if len(h.seeks) != 1 || h.seeks[0] != 8 || closed != 1 {
		t.Errorf("Go to the second bookmark: seeks %v, closed %d; want [8], 1", h.seeks, closed)
	}
	test.Tap(remove[0])
	if got := bookmarksOf(h, "inspect"); len(got) != 1 || got[0].Note != "eight" {
		t.Errorf("after removing the first: %+v", got)
	}
}
