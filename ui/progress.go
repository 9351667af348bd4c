package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// progress is the strip shown while a tenancy is read: what is going on, a
// bar and a Cancel button. Cancelling keeps what was read so far.
type progress struct {
	label  *widget.Label
	bar    *widget.ProgressBar
	cancel *widget.Button
	box    *fyne.Container
	onStop func()
}

func newProgress() *progress {
	p := &progress{label: widget.NewLabel(""), bar: widget.NewProgressBar()}
	p.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() {
		if p.onStop != nil {
			p.onStop()
		}
		p.stop()
	})
	p.bar.TextFormatter = func() string {
		return fmt.Sprintf("%.0f %%", 100*p.bar.Value)
	}
	p.box = container.NewBorder(nil, nil, p.label, p.cancel, p.bar)
	p.box.Hide()
	return p
}

func (p *progress) object() fyne.CanvasObject { return p.box }

// start shows the strip with what, calling cancel on Cancel.
func (p *progress) start(what string, cancel func()) {
	p.label.SetText(what)
	p.onStop = cancel
	p.bar.SetValue(0)
	p.box.Show()
}

// set shows done of total; a total of 0 shows nothing yet.
func (p *progress) set(done, total int) {
	if total <= 0 {
		return
	}
	p.bar.SetValue(float64(done) / float64(total))
}

// stop hides the strip.
func (p *progress) stop() {
	p.onStop = nil
	p.box.Hide()
}

// visible reports whether the strip is shown.
func (p *progress) visible() bool { return p.box.Visible() }
