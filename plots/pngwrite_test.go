package plots

import (
	"bytes"
	"errors"
	"hash/adler32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
)

// decodeSame checks that image/png reads what writePNG wrote of img
// back as the same pixels.
func decodeSame(t testing.TB, img *image.RGBA) {
	t.Helper()
	var b bytes.Buffer
	if err := writePNG(&b, img); err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(&b)
	if err != nil {
		t.Fatalf("%v image: image/png cannot read it back: %v", img.Rect, err)
	}
	if got.Bounds().Dx() != img.Rect.Dx() || got.Bounds().Dy() != img.Rect.Dy() {
		t.Fatalf("%v image read back as %v", img.Rect, got.Bounds())
	}
	g0, r0 := got.Bounds().Min, img.Rect.Min
	for y := range img.Rect.Dy() {
		for x := range img.Rect.Dx() {
			want := color.NRGBAModel.Convert(img.At(r0.X+x, r0.Y+y))
			if c := color.NRGBAModel.Convert(got.At(g0.X+x, g0.Y+y)); c != want {
				t.Fatalf("%v image: pixel (%d, %d) read back as %v, want %v", img.Rect, x, y, c, want)
			}
		}
	}
}

// lineArt draws random opaque lines and boxes on white, as a diagram.
func lineArt(r *rand.Rand, wd, ht int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, wd, ht))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for range 1 + wd*ht/200 {
		c := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
		x, y := r.IntN(wd), r.IntN(ht)
		if r.IntN(2) == 0 {
			for ; x < wd && r.IntN(20) != 0; x++ {
				img.SetRGBA(x, y, c)
			}
		} else {
			for ; y < ht && r.IntN(20) != 0; y++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	return img
}

func TestWritePNG(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	// One pixel, odd sizes, one row, one column, and sizes around a
	// band of rows (about 1 MiB of filtered bytes: 58 rows of 6000
	// pixels, 349 rows of 1000).
	for _, sz := range [][2]int{{1, 1}, {1, 7}, {7, 1}, {3, 5}, {17, 31}, {1000, 1}, {1, 1000},
		{1000, 348}, {1000, 349}, {1000, 350}, {1000, 699}, {6000, 59}, {6000, 175}} {
		decodeSame(t, lineArt(r, sz[0], sz[1]))
	}
	// Noise, which no filter helps.
	img := image.NewRGBA(image.Rect(0, 0, 301, 777))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.IntN(256))
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	decodeSame(t, img)
	// A sub-image, whose rows do not start at the start of its pixels.
	decodeSame(t, lineArt(r, 500, 900).SubImage(image.Rect(13, 101, 400, 850)).(*image.RGBA))
	// An image that is not opaque goes to image/png, whichever band the
	// first pixel that is not is in.
	for _, sz := range [][2]int{{40, 30}, {1000, 1000}} {
		img = lineArt(r, sz[0], sz[1])
		img.SetRGBA(sz[0]-1, sz[1]-1, color.RGBA{10, 20, 30, 40})
		decodeSame(t, img)
	}
	// Noise whose first band compresses to more than the writer's
	// buffer, with a pixel that is not opaque in its last band: nothing
	// of a PNG of our own may be written before image/png writes it.
	img = image.NewRGBA(image.Rect(0, 0, 1000, 1000))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.IntN(256))
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	img.SetRGBA(999, 999, color.RGBA{10, 20, 30, 40})
	decodeSame(t, img)
}

// failAfter is a writer that fails after n bytes.
type failAfter struct{ n int }

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		n := f.n
		f.n = 0
		return n, errors.New("disk full")
	}
	f.n -= len(p)
	return len(p), nil
}

// TestWritePNGWriteError checks that writePNG returns the writer's error
// wherever it fails, and returns.
func TestWritePNGWriteError(t *testing.T) {
	img := lineArt(rand.New(rand.NewPCG(5, 6)), 2000, 3000)
	var b bytes.Buffer
	if err := writePNG(&b, img); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 10, 100_000, b.Len() / 2, b.Len() - 1} {
		if err := writePNG(&failAfter{n}, img); err == nil || err.Error() != "disk full" {
			t.Errorf("failing after %d of %d bytes: error %v, want disk full", n, b.Len(), err)
		}
	}
}

// FuzzWritePNG checks that any opaque image writePNG writes reads back
// the same; the input's bytes are its size and pixels.
func FuzzWritePNG(f *testing.F) {
	f.Add(uint16(1), uint16(1), []byte{1, 2, 3})
	f.Add(uint16(5), uint16(3), []byte("line art"))
	f.Add(uint16(2000), uint16(600), []byte{0, 0, 0, 255, 255, 255})
	f.Fuzz(func(t *testing.T, w, h uint16, pix []byte) {
		wd, ht := 1+int(w)%3000, 1+int(h)%1000
		img := image.NewRGBA(image.Rect(0, 0, wd, ht))
		for i := range img.Pix {
			if i%4 == 3 {
				img.Pix[i] = 255
			} else if len(pix) > 0 {
				img.Pix[i] = pix[(i-i/4)%len(pix)]
			}
		}
		decodeSame(t, img)
	})
}

func TestAdler32Combine(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 100, 5552, 65521, 65522, 200_000} {
		data := make([]byte, n)
		for i := range data {
			data[i] = uint8(r.IntN(256))
		}
		for _, k := range []int{0, n / 3, n} {
			a1, a2 := adler32.Checksum(data[:k]), adler32.Checksum(data[k:])
			if got, want := adler32Combine(a1, a2, int64(n-k)), adler32.Checksum(data); got != want {
				t.Errorf("%d bytes split at %d: combined %#x, want %#x", n, k, got, want)
			}
		}
	}
}
