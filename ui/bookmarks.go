package ui

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/timeline"
	"onyx-dashboard/zklog/archive"
)

// Bookmarks are positions the user marked, with a note. They are kept per
// tenancy in the preferences (as Seqs, which survive garbage collection),
// and, when the open source is an archive, saved inside it too (its
// bookmark records); saving a tenancy as an archive writes them in.

// prefBookmarks + tenancy id: one "seq\tcreated\tnote" per bookmark.
const prefBookmarks = "bookmarks."

// prefsOf is the preferences to keep bookmarks in: the host's, or the
// current app's when the tabs run without a shell (tests).
func prefsOf(act Actions) fyne.Preferences {
	if h, ok := act.(inspectHost); ok {
		return h.preferences()
	}
	return fyne.CurrentApp().Preferences()
}

// archiveOf is the open source when it is an archive file, else nil.
func archiveOf(act Actions) *archive.Archive {
	if h, ok := act.(inspectHost); ok {
		a, _ := h.source().(*archive.Archive)
		return a
	}
	return nil
}

func encodeBookmark(b archive.Bookmark) string {
	note := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(b.Note)
	return fmt.Sprintf("%d\t%s\t%s", b.Seq, b.Created.UTC().Format(time.RFC3339Nano), note)
}

func decodeBookmark(s string) (archive.Bookmark, bool) {
	f := strings.SplitN(s, "\t", 3)
	if len(f) != 3 {
		return archive.Bookmark{}, false
	}
	seq, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return archive.Bookmark{}, false
	}
	at, _ := time.Parse(time.RFC3339Nano, f[1])
	return archive.Bookmark{Seq: seq, Created: at, Note: f[2]}, true
}

// prefBookmarksOf are the bookmarks of tenancy id kept in p.
func prefBookmarksOf(p fyne.Preferences, id string) []archive.Bookmark {
	var out []archive.Bookmark
	for _, s := range p.StringList(prefBookmarks + id) {
		if b, ok := decodeBookmark(s); ok {
			out = append(out, b)
		}
	}
	return out
}

func setPrefBookmarks(p fyne.Preferences, id string, bs []archive.Bookmark) {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = encodeBookmark(b)
	}
	p.SetStringList(prefBookmarks+id, out)
}

// bookmarksOf lists the bookmarks of tenancy id: those in the preferences
// and those of the open archive, in Seq order, each once.
func bookmarksOf(act Actions, id string) []archive.Bookmark {
	if id == "" {
		return nil
	}
	bs := prefBookmarksOf(prefsOf(act), id)
	if a := archiveOf(act); a != nil {
		bs = append(bs, a.Bookmarks()...)
	}
	return mergeBookmarks(bs)
}

// mergeBookmarks sorts bs by Seq and drops repeats (same Seq and note).
func mergeBookmarks(bs []archive.Bookmark) []archive.Bookmark {
	slices.SortStableFunc(bs, func(a, b archive.Bookmark) int {
		if c := cmp.Compare(a.Seq, b.Seq); c != 0 {
			return c
		}
		return strings.Compare(a.Note, b.Note)
	})
	return slices.CompactFunc(bs, func(a, b archive.Bookmark) bool { return a.Seq == b.Seq && a.Note == b.Note })
}

// addBookmark keeps b for tenancy id and, when the open source is an
// archive, saves it into the file off the UI goroutine; done (which may be
// nil) gets the outcome on the UI goroutine.
func addBookmark(act Actions, id string, b archive.Bookmark, done func(error)) {
	if b.Created.IsZero() {
		b.Created = time.Now().UTC()
	}
	p := prefsOf(act)
	setPrefBookmarks(p, id, mergeBookmarks(append(prefBookmarksOf(p, id), b)))
	saveIntoArchive(act, func(a *archive.Archive) { a.AddBookmark(b) }, done)
}

// removeBookmark forgets the bookmarks at seq of tenancy id, in the
// preferences and in the open archive.
func removeBookmark(act Actions, id string, seq int64, done func(error)) {
	p := prefsOf(act)
	setPrefBookmarks(p, id, slices.DeleteFunc(prefBookmarksOf(p, id), func(b archive.Bookmark) bool { return b.Seq == seq }))
	saveIntoArchive(act, func(a *archive.Archive) { a.RemoveBookmark(seq) }, done)
}

// saveIntoArchive applies change to the open archive and saves the file
// through the host's task runner; without an archive it only calls done.
func saveIntoArchive(act Actions, change func(*archive.Archive), done func(error)) {
	if done == nil {
		done = func(error) {}
	}
	a := archiveOf(act)
	if a == nil {
		done(nil)
		return
	}
	h := act.(inspectHost)
	h.runTask("Saving bookmarks into the archive", func(context.Context, func(int, int)) error {
		change(a)
		return a.Save()
	}, done)
}

// bookmarkList is the Bookmarks dialog's content for tenancy id: one row
// per bookmark with Go to (seek, then close) and Remove.
func bookmarkList(act Actions, id string, rd timeline.Reader, close func()) fyne.CanvasObject {
	bs := bookmarksOf(act, id)
	if len(bs) == 0 {
		return widget.NewLabel("No bookmarks yet: Bookmark… marks the current entry.")
	}
	var list *widget.List
	list = widget.NewList(func() int { return len(bs) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil,
				container.NewHBox(widget.NewButton("Go to", nil), widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)),
				widget.NewLabel(""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			b := bs[i]
			c.Objects[0].(*widget.Label).SetText(fmt.Sprintf("entry %d · %s", b.Seq, b.Note))
			btns := c.Objects[1].(*fyne.Container).Objects
			btns[0].(*widget.Button).OnTapped = func() {
				if pos, ok := rd.Pos(b.Seq); ok {
					act.Seek(pos)
				}
				close()
			}
			btns[1].(*widget.Button).OnTapped = func() {
				removeBookmark(act, id, b.Seq, nil)
				bs = bookmarksOf(act, id)
				list.Refresh()
			}
		})
	return list
}

// showBookmark asks for a note and bookmarks the current position.
func (t *logTab) showBookmark() {
	if t.rd == nil || t.p.Tenancy == "" {
		return
	}
	seq := t.rd.Seq(t.p.Pos)
	note := widget.NewEntry()
	note.SetPlaceHolder("what happens here")
	w := t.act.Window()
	if w == nil {
		return
	}
	dialog.ShowForm(fmt.Sprintf("Bookmark entry %d", seq), "Add", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Note", note)}, func(ok bool) {
			if ok {
				addBookmark(t.act, t.p.Tenancy, archive.Bookmark{Seq: seq, Note: note.Text}, nil)
			}
		}, w)
}

// showBookmarks lists the tenancy's bookmarks, to go to or remove.
func (t *logTab) showBookmarks() {
	w := t.act.Window()
	if t.rd == nil || w == nil {
		return
	}
	var d dialog.Dialog
	d = dialog.NewCustom("Bookmarks of "+t.p.Tenancy, "Close", bookmarkList(t.act, t.p.Tenancy, t.rd, func() { d.Hide() }), w)
	d.Resize(fyne.NewSize(520, 360))
	d.Show()
}
