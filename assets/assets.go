// Package assets holds the files embedded in the binary: the app icon.
//
// It may import Fyne's core package for resources, but never fyne.io/fyne/v2/app
// (only main does).
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the app and window icon, drawn by scripts/geniconpng.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
