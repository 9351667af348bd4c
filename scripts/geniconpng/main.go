// Command geniconpng draws the app icon, assets/icon.png: an onyx-black rounded
// square with a stylised log (a stack of entry bars) crossed by a timeline whose
// cursor marks the replayed position.
//
// Run it from the repository root: go run ./scripts/geniconpng [-o assets/icon.png]
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
)

const size = 512

func main() {
	out := flag.String("o", "assets/icon.png", "output PNG file")
	flag.Parse()
	if err := write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "geniconpng:", err)
		os.Exit(1)
	}
}

func write(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create icon: %w", err)
	}
	if err := png.Encode(f, draw()); err != nil {
		f.Close()
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return f.Close()
}

var (
	onyxTop    = color.NRGBA{0x2a, 0x2d, 0x34, 0xff}
	onyxBottom = color.NRGBA{0x0c, 0x0d, 0x10, 0xff}
	rim        = color.NRGBA{0x4a, 0x50, 0x5c, 0xff}
	entry      = color.NRGBA{0xd8, 0xdd, 0xe6, 0xff}
	entryDim   = color.NRGBA{0x6b, 0x72, 0x80, 0xff}
	accent     = color.NRGBA{0x3d, 0xd6, 0xc6, 0xff}
)

// draw renders the icon with 4x4 supersampling so edges are anti-aliased.
func draw() *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4
	for y := range size {
		for x := range size {
			var r, g, b, a float64
			for sy := range ss {
				for sx := range ss {
					px := float64(x) + (float64(sx)+0.5)/ss
					py := float64(y) + (float64(sy)+0.5)/ss
					c := shade(px, py)
					af := float64(c.A) / 255
					r += float64(c.R) * af
					g += float64(c.G) * af
					b += float64(c.B) * af
					a += af
				}
			}
			n := float64(ss * ss)
			if a == 0 {
				continue
			}
			img.SetNRGBA(x, y, color.NRGBA{
				R: uint8(r/a + 0.5), G: uint8(g/a + 0.5), B: uint8(b/a + 0.5),
				A: uint8(a/n*255 + 0.5),
			})
		}
	}
	return img
}

// shade returns the colour at point (x, y); transparent outside the tile.
func shade(x, y float64) color.NRGBA {
	const margin, radius = 24.0, 96.0
	d := roundedRectDist(x, y, margin, margin, size-margin, size-margin, radius)
	if d > 0 {
		return color.NRGBA{}
	}
	if d > -6 {
		return rim
	}
	// Timeline: a horizontal track with a cursor, under the log.
	if math.Hypot(x-300, y-402) < 22 {
		return accent
	}
	if inRoundedRect(x, y, 96, 396, 416, 408, 6) {
		if x < 300 {
			return accent
		}
		return entryDim
	}
	// Log: five entry bars of varying length, the replayed ones bright.
	bars := []struct{ y, w float64 }{{112, 240}, {168, 300}, {224, 200}, {280, 270}, {336, 160}}
	for i, bar := range bars {
		if inRoundedRect(x, y, 96, bar.y, 96+bar.w, bar.y+32, 16) {
			if i < 3 {
				return entry
			}
			return entryDim
		}
		// A marker dot at the end of each bar: the entry's sequence number.
		if math.Hypot(x-(96+bar.w+36), y-(bar.y+16)) < 10 && i < 3 {
			return accent
		}
	}
	t := (y - margin) / (size - 2*margin)
	return lerp(onyxTop, onyxBottom, t)
}

func lerp(a, b color.NRGBA, t float64) color.NRGBA {
	t = math.Max(0, math.Min(1, t))
	mix := func(p, q uint8) uint8 { return uint8(float64(p) + (float64(q)-float64(p))*t + 0.5) }
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

func inRoundedRect(x, y, x0, y0, x1, y1, r float64) bool {
	return roundedRectDist(x, y, x0, y0, x1, y1, r) <= 0
}

// roundedRectDist is the signed distance from (x, y) to the rounded rectangle.
func roundedRectDist(x, y, x0, y0, x1, y1, r float64) float64 {
	cx, cy := (x0+x1)/2, (y0+y1)/2
	hx, hy := (x1-x0)/2-r, (y1-y0)/2-r
	dx, dy := math.Abs(x-cx)-hx, math.Abs(y-cy)-hy
	outside := math.Hypot(math.Max(dx, 0), math.Max(dy, 0))
	inside := math.Min(math.Max(dx, dy), 0)
	return outside + inside - r
}
