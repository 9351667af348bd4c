package ui

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/timeline"
)

// Play speeds in entries per second, as the speed selector lists them; 0 is
// real time.
var speeds = []struct {
	name string
	rate float64
}{{"1/s", 1}, {"10/s", 10}, {"100/s", 100}, {"real time", 0}}

// maxRealTimeGap caps a wait in real-time play: logs idle for hours would
// otherwise stall the player.
const maxRealTimeGap = 5 * time.Second

// timeFormat is how entry times are shown (UTC, as ZooKeeper keeps them).
const timeFormat = "2006-01-02 15:04:05 UTC"

// timelineBar is the slider from the origin to the newest entry with its
// markers, the position label, the step buttons, play, Live and the jump
// field. It only shows Position; moves go through the shell.
type timelineBar struct {
	sh      *shell
	slider  *widget.Slider
	marks   *markers
	where   *widget.Label
	gc      *widget.Label
	play    *widget.Button
	speed   *widget.Select
	live    *widget.Check
	jump    *widget.Entry
	jumpErr *widget.Label
	steps   []*widget.Button
	box     *fyne.Container
}

func newTimelineBar(sh *shell) *timelineBar {
	b := &timelineBar{sh: sh}
	b.slider = widget.NewSlider(-1, -1)
	b.slider.Step = 1
	b.slider.OnChanged = func(v float64) { sh.Seek(int(math.Round(v))) }
	b.marks = newMarkers(sh.Seek)
	b.where = widget.NewLabelWithStyle("no entries", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.gc = widget.NewLabel("")
	b.gc.Importance = widget.WarningImportance
	b.gc.SizeName = theme.SizeNameCaptionText
	b.gc.Hide()
	btn := func(icon fyne.Resource, tap func()) *widget.Button {
		x := widget.NewButtonWithIcon("", icon, tap)
		x.Importance = widget.LowImportance
		b.steps = append(b.steps, x)
		return x
	}
	first := btn(theme.MediaSkipPreviousIcon(), func() { sh.Seek(-1) })
	back10 := btn(theme.MediaFastRewindIcon(), func() { sh.step(-10) })
	prev := btn(theme.NavigateBackIcon(), func() { sh.step(-1) })
	next := btn(theme.NavigateNextIcon(), func() { sh.step(1) })
	fwd10 := btn(theme.MediaFastForwardIcon(), func() { sh.step(10) })
	last := btn(theme.MediaSkipNextIcon(), sh.seekLast)
	b.play = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), sh.togglePlay)
	names := make([]string, len(speeds))
	for i, s := range speeds {
		names[i] = s.name
	}
	b.speed = widget.NewSelect(names, func(name string) {
		for _, s := range speeds {
			if s.name == name {
				sh.setSpeed(s.rate)
			}
		}
	})
	b.speed.Selected = speeds[1].name
	b.live = widget.NewCheck("Live", func(on bool) { sh.setLive(on) })
	b.jump = widget.NewEntry()
	b.jump.SetPlaceHolder("entry # or 2015-06-09 12:00")
	b.jump.OnSubmitted = func(text string) {
		if err := sh.jumpTo(text); err != nil {
			b.jumpErr.SetText(err.Error())
			b.jumpErr.Show()
			return
		}
		b.jumpErr.Hide()
		b.jump.SetText("")
	}
	b.jumpErr = widget.NewLabel("")
	b.jumpErr.Importance = widget.DangerImportance
	b.jumpErr.SizeName = theme.SizeNameCaptionText
	b.jumpErr.Hide()

	track := container.NewVBox(b.marks, b.slider)
	controls := container.NewHBox(first, back10, prev, next, fwd10, last, widget.NewSeparator(),
		b.play, b.speed, widget.NewSeparator(), b.live)
	jumpBox := container.NewGridWrap(fyne.NewSize(200, b.jump.MinSize().Height), b.jump)
	row := container.NewBorder(nil, nil, controls, jumpBox)
	status := container.NewBorder(nil, nil, b.where, container.NewHBox(b.gc, b.jumpErr, markersLegend()))
	b.box = container.NewVBox(track, status, row)
	return b
}

func (b *timelineBar) object() fyne.CanvasObject { return b.box }

// show puts p on the bar: the slider's range and value (set directly, so no
// callback fires), the markers, the label and the Live state.
func (b *timelineBar) show(p Position) {
	r := p.Reader
	n := 0
	if r != nil {
		n = r.Len()
	}
	max, val := float64(n-1), float64(p.Pos)
	if b.slider.Max != max || b.slider.Value != val || b.slider.Min != -1 {
		b.slider.Min, b.slider.Max, b.slider.Value = -1, max, val
		b.slider.Refresh()
	}
	b.marks.update(r)
	if r == nil && p.Tenancy != "" {
		b.where.SetText("opening " + p.Tenancy + "…")
	} else {
		b.where.SetText(whereText(r, p.Pos))
	}
	if b.live.Checked != p.Live {
		b.live.Checked = p.Live
		b.live.Refresh()
	}
	if r != nil {
		if seq, _ := r.Origin(); seq >= 0 {
			b.gc.SetText(fmt.Sprintf("history before entry %d was garbage collected", seq+1))
			b.gc.Show()
			return
		}
	}
	b.gc.Hide()
}

// whereText is "entry 42 of 1,204 · 2016-01-04 09:00:08 UTC".
func whereText(r timeline.Reader, pos int) string {
	if r == nil {
		return "no deployment open"
	}
	n := r.Len()
	if n == 0 {
		return "origin · no entries yet"
	}
	last := r.Seq(n - 1)
	if pos < 0 {
		return fmt.Sprintf("origin · before entry %d of %d", r.Seq(0), last)
	}
	e := r.Entry(pos)
	s := fmt.Sprintf("entry %d of %d", e.Seq, last)
	if e.Created > 0 {
		s += " · " + time.UnixMilli(e.Created).UTC().Format(timeFormat)
	}
	return s
}

// setPlaying shows the play button as play or pause.
func (b *timelineBar) setPlaying(on bool) {
	if on {
		b.play.SetIcon(theme.MediaPauseIcon())
	} else {
		b.play.SetIcon(theme.MediaPlayIcon())
	}
}

// step moves by d entries (leaving Live mode).
func (s *shell) step(d int) {
	if s.pos.Reader == nil {
		return
	}
	s.Seek(s.pos.Pos + d)
}

// seekLast moves to the newest entry.
func (s *shell) seekLast() {
	if s.pos.Reader != nil {
		s.Seek(s.pos.Reader.Len() - 1)
	}
}

// setSpeed sets the play speed in entries/s; 0 is real time.
func (s *shell) setSpeed(rate float64) {
	s.speed = rate
	if s.playing {
		s.br.playDelay.Store(int64(s.playDelay()))
	}
}

// togglePlay starts or pauses the player. Playing from the newest entry
// starts over from the origin.
func (s *shell) togglePlay() {
	if s.playing {
		s.stopPlaying()
		return
	}
	r := s.pos.Reader
	if r == nil || r.Len() == 0 {
		return
	}
	s.setLive(false)
	if s.pos.Pos >= r.Len()-1 {
		s.seek(-1)
	}
	s.playing = true
	s.bar.setPlaying(true)
	s.br.startPlay(s.playDelay(), s.playStep)
}

func (s *shell) stopPlaying() {
	s.playing = false
	s.br.stopPlay()
	s.bar.setPlaying(false)
}

// playStep is one step of the player, on the UI goroutine; false stops it.
func (s *shell) playStep() bool {
	r := s.pos.Reader
	if !s.playing || r == nil || s.pos.Pos >= r.Len()-1 {
		s.playing = false
		s.bar.setPlaying(false)
		return false
	}
	s.seek(s.pos.Pos + 1)
	s.br.playDelay.Store(int64(s.playDelay()))
	return true
}

// playDelay is the wait before the next step: 1/speed, or in real time the
// gap between the entries' timestamps (at most maxRealTimeGap).
func (s *shell) playDelay() time.Duration {
	if s.speed > 0 {
		return time.Duration(float64(time.Second) / s.speed)
	}
	r := s.pos.Reader
	if r == nil {
		return time.Second
	}
	a, b := r.Entry(s.pos.Pos).Created, r.Entry(s.pos.Pos+1).Created
	if a <= 0 || b <= 0 || s.pos.Pos < 0 {
		return time.Second
	}
	return max(0, min(time.Duration(b-a)*time.Millisecond, maxRealTimeGap))
}

// jumpTo moves to an entry number (a Seq) or to the last entry at or before
// a time ("2015-06-09 12:00", "2015-06-09 12:00:05" in UTC, or RFC 3339).
func (s *shell) jumpTo(text string) error {
	r := s.pos.Reader
	if r == nil {
		return errors.New("no deployment open")
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	pos, err := jumpPos(r, text)
	if err != nil {
		return err
	}
	s.Seek(pos)
	return nil
}

// jumpPos finds where text points in r.
func jumpPos(r timeline.Reader, text string) (int, error) {
	if seq, err := strconv.ParseInt(strings.TrimPrefix(text, "#"), 10, 64); err == nil {
		if r.Len() == 0 {
			return -1, nil
		}
		if first := r.Seq(0); seq < first {
			return -1, fmt.Errorf("entry %d is before the first one kept (%d)", seq, first)
		}
		pos, _ := r.Pos(seq)
		return pos, nil
	}
	t, err := parseWhen(text)
	if err != nil {
		return 0, err
	}
	ms := t.UnixMilli()
	// the last entry created at or before t; entries' times only grow
	n := r.Len()
	i := sort.Search(n, func(i int) bool { return r.Entry(i).Created > ms })
	return i - 1, nil
}

// parseWhen reads a time the jump field accepts.
func parseWhen(text string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, text, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is neither an entry number nor a time like 2015-06-09 12:00", text)
}
