package archive

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Bookmarks returns the archive's bookmarks in Seq order.
func (a *Archive) Bookmarks() []Bookmark {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.bookmarks)
}

// AddBookmark adds a bookmark in memory; Save writes it to the file. A zero
// Created is set to now.
func (a *Archive) AddBookmark(b Bookmark) {
	if b.Created.IsZero() {
		b.Created = time.Now().UTC()
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	i, _ := slices.BinarySearchFunc(a.bookmarks, b.Seq, func(x Bookmark, s int64) int {
		switch {
		case x.Seq < s:
			return -1
		case x.Seq > s:
			return 1
		}
		return 0
	})
	for i < len(a.bookmarks) && a.bookmarks[i].Seq == b.Seq {
		i++
	}
	a.bookmarks = slices.Insert(a.bookmarks, i, b)
}

// RemoveBookmark removes the bookmarks at seq; Save writes the change.
func (a *Archive) RemoveBookmark(seq int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.bookmarks = slices.DeleteFunc(a.bookmarks, func(b Bookmark) bool { return b.Seq == seq })
}

// Save writes the bookmarks into the archive file, atomically: the records
// are copied into a new file with the new bookmark list, index and trailer,
// which replaces the old one. Only the intact part of a damaged archive is
// kept. The Archive goes on reading from the new file.
func (a *Archive) Save() error {
	if a.path == "" {
		return fmt.Errorf("save bookmarks into %s: %w", a.name, errors.ErrUnsupported)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	f, err := os.CreateTemp(filepath.Dir(a.path), "."+filepath.Base(a.path)+".tmp*")
	if err != nil {
		return fmt.Errorf("save bookmarks into %s: %w", a.path, err)
	}
	w := &Writer{path: a.path, tmp: f.Name(), f: f, meta: a.meta}
	w.bw = bufio.NewWriterSize(f, 1<<20)
	if _, err := io.Copy(w.bw, io.NewSectionReader(a.r, 0, a.dataEnd)); err != nil {
		w.Abort()
		return fmt.Errorf("save bookmarks into %s: %w", a.path, err)
	}
	w.off = a.dataEnd
	w.idx = a.idx
	w.idx.others = slices.DeleteFunc(slices.Clone(a.idx.others), func(off int64) bool { return a.otherKind[off] == kindBookmark })
	w.Bookmarks(a.bookmarks)
	idx := w.idx
	if err := w.Close(); err != nil {
		return err
	}
	nf, err := os.Open(a.path)
	if err != nil {
		return fmt.Errorf("reopen %s: %w", a.path, err)
	}
	st, err := nf.Stat()
	if err != nil {
		nf.Close()
		return fmt.Errorf("reopen %s: %w", a.path, err)
	}
	if a.closer != nil {
		a.closer.Close()
	}
	a.r, a.closer, a.size = nf, nf, st.Size()
	a.idx = idx
	a.dataEnd = a.size - trailerLen - int64(frameLen+len(idx.encode()))
	a.otherKind[idx.others[len(idx.others)-1]] = kindBookmark
	a.damage = nil
	return nil
}
