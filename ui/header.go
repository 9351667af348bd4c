package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// placementNote is shown for versions whose placement replay estimates.
const placementNote = "placement estimated (Onyx 0.8.4+ used a constraint solver)"

// header names the open tenancy and its Onyx version, with the detection
// evidence behind an info button (Fyne 2.7 has no tooltips), a banner when
// the source is not connected and a note when placement is estimated.
type header struct {
	win      fyne.Window
	tenancy  *widget.Label
	version  *widget.Label
	info     *widget.Button
	note     *widget.Label
	banner   *fyne.Container
	bannerTx *widget.Label
	box      *fyne.Container

	evidence []string // shown by info
}

func newHeader(w fyne.Window) *header {
	h := &header{win: w}
	h.tenancy = widget.NewLabelWithStyle("No deployment open", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.tenancy.SizeName = theme.SizeNameSubHeadingText
	h.version = widget.NewLabel("Pick a deployment in the sidebar")
	h.info = widget.NewButtonWithIcon("", theme.InfoIcon(), h.showEvidence)
	h.info.Importance = widget.LowImportance
	h.info.Hide()
	h.note = widget.NewLabelWithStyle(placementNote, fyne.TextAlignTrailing, fyne.TextStyle{Italic: true})
	h.note.Importance = widget.WarningImportance
	h.note.Hide()

	bg := canvas.NewRectangle(theme.Color(theme.ColorNameError))
	bg.CornerRadius = theme.Size(theme.SizeNameInputRadius)
	h.bannerTx = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.bannerTx.Truncation = fyne.TextTruncateEllipsis
	h.banner = container.NewStack(bg, container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, h.bannerTx))
	h.banner.Hide()

	row := container.NewBorder(nil, nil, nil, h.note, container.NewHBox(h.tenancy, h.version, h.info))
	h.box = container.NewVBox(row, h.banner)
	return h
}

func (h *header) object() fyne.CanvasObject { return h.box }

// show names the tenancy of p and its version.
func (h *header) show(p Position) {
	if p.Tenancy == "" {
		h.tenancy.SetText("No deployment open")
		h.version.SetText("Pick a deployment in the sidebar")
		h.info.Hide()
		h.note.Hide()
		return
	}
	h.tenancy.SetText(p.Tenancy)
	if p.Reader == nil {
		h.version.SetText("opening…")
		h.info.Hide()
		h.note.Hide()
		return
	}
	h.version.SetText(versionText(p))
	h.evidence = evidenceLines(p)
	h.info.Show()
	if p.Version().PlacementEstimated() {
		h.note.Show()
	} else {
		h.note.Hide()
	}
}

// versionText is "Onyx 0.8.3 (detected)".
func versionText(p Position) string {
	s := "Onyx " + p.Version().String()
	if p.Start.Chosen != "" {
		s += " (" + p.Start.Chosen + ")"
	}
	return s
}

// evidenceLines say why the version was chosen.
func evidenceLines(p Position) []string {
	d := p.Header.Version
	out := []string{fmt.Sprintf("Replaying as Onyx %s, era %s: %s.", p.Version(), p.Version().Era(), p.Start.Chosen)}
	if d.Version != "" {
		out = append(out, fmt.Sprintf("Detected: %s.", d.Version))
	}
	for _, e := range d.Evidence {
		out = append(out, "• "+e)
	}
	return out
}

// showEvidence pops up the detection evidence under the info button.
func (h *header) showEvidence() {
	if h.win == nil {
		return
	}
	text := widget.NewLabel(strings.Join(h.evidence, "\n"))
	text.Wrapping = fyne.TextWrapWord
	pop := widget.NewPopUp(container.NewPadded(text), h.win.Canvas())
	pop.Resize(fyne.NewSize(460, text.MinSize().Height+theme.Padding()*4))
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(h.info)
	pop.ShowAtPosition(at.Add(fyne.NewPos(0, h.info.Size().Height)))
}

// setConnection shows the banner while err is set, hides it on nil.
func (h *header) setConnection(err error) {
	if err == nil {
		h.banner.Hide()
		return
	}
	h.bannerTx.SetText("Not connected: " + err.Error())
	h.banner.Show()
}

// fail shows the banner for an error that stopped reading the tenancy.
func (h *header) fail(err error) {
	h.bannerTx.SetText("Stopped: " + err.Error())
	h.banner.Show()
}
