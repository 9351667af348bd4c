package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// withDot puts a 10-pixel status dot of colour c before content: the rows of
// the jobs list, the recent events and the deployments sidebar.
func withDot(content fyne.CanvasObject, c color.Color) *fyne.Container {
	dot := canvas.NewCircle(c)
	return container.NewBorder(nil, nil, container.NewCenter(container.NewGridWrap(fyne.NewSize(10, 10), dot)), nil, content)
}

// setDot colours the dot of a row made by withDot, redrawing it only when
// the colour changes.
func setDot(row *fyne.Container, c color.Color) {
	dot := row.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container).Objects[0].(*canvas.Circle)
	if dot.FillColor != c {
		dot.FillColor = c
		dot.Refresh()
	}
}
