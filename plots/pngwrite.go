package plots

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
)

// writePNG writes an opaque RGBA image as an 8-bit RGB PNG, its rows
// unfiltered, compressed at zlib's fastest level in bands of rows on all
// processors at once. It writes the PNG diagrams, which are millions of
// pixels of line art on white. image/png tries all five PNG filters on
// every row to choose one, which takes more time than drawing the
// picture, and compresses on one processor. Line art needs no filter: a
// white row is one long run, and a row like the one above it is one
// long match, which the compressor finds without one; so the file is
// smaller than image/png's at its fastest level too
// (BenchmarkDiagramPNGEncode).
//
// A band is compressed on its own (no match reaches into the band before
// it) and ends with a sync flush, so the bands, joined, are one DEFLATE
// stream; the zlib checksum is the bands' Adler-32 sums combined. An
// image that is not opaque is written by image/png instead: checked
// before anything is written, so that no PNG begun is abandoned.
func writePNG(w io.Writer, img *image.RGBA) error {
	wd, ht := img.Rect.Dx(), img.Rect.Dy()
	if wd <= 0 || ht <= 0 || int64(wd)*3+1 > 1<<31-1 || !img.Opaque() {
		return encodePNG(w, img, png.BestSpeed) // which says what is wrong, or writes the alpha
	}
	rowLen := 1 + 3*wd
	per := max(1, (1<<20)/rowLen) // rows per band: about 1 MiB
	bands := make([]pngBand, (ht+per-1)/per)
	for i := range bands {
		bands[i].y0, bands[i].y1 = i*per, min(ht, (i+1)*per)
		bands[i].done = make(chan struct{})
	}
	var next atomic.Int64
	var stop atomic.Bool // a band or the writer failed
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(bands)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			row := make([]byte, rowLen)
			var zw *flate.Writer
			for {
				i := int(next.Add(1) - 1)
				if i >= len(bands) {
					return
				}
				b := &bands[i]
				if !stop.Load() {
					if zw == nil {
						zw, _ = flate.NewWriter(&b.out, flate.BestSpeed) // the level is valid
					} else {
						zw.Reset(&b.out)
					}
					b.compress(img, row, zw, i == len(bands)-1)
					if b.err != nil {
						stop.Store(true)
					}
				}
				close(b.done)
			}
		}()
	}
	defer wg.Wait()

	// The bands are written as they are done, so that all of them are
	// not held at once.
	var bw *bufio.Writer
	var pw *pngWriter
	sum := uint32(1) // Adler-32 of nothing
	for i := range bands {
		b := &bands[i]
		<-b.done
		if b.err != nil {
			return b.err
		}
		if i == 0 {
			bw = bufio.NewWriterSize(w, 64<<10)
			pw = &pngWriter{w: bw}
			pw.write([]byte("\x89PNG\r\n\x1a\n"))
			var ihdr [13]byte
			binary.BigEndian.PutUint32(ihdr[0:], uint32(wd))
			binary.BigEndian.PutUint32(ihdr[4:], uint32(ht))
			ihdr[8], ihdr[9] = 8, 2 // bit depth 8, colour type 2: RGB
			pw.chunk("IHDR", ihdr[:])
			pw.chunk("IDAT", []byte{0x78, 0x01}) // zlib: DEFLATE, 32 KiB window, fastest
		}
		pw.chunk("IDAT", b.out.Bytes())
		sum = adler32Combine(sum, b.sum, int64(b.y1-b.y0)*int64(rowLen))
		b.out = bytes.Buffer{}
		if pw.err != nil {
			stop.Store(true)
			return pw.err
		}
	}
	var tail [4]byte
	binary.BigEndian.PutUint32(tail[:], sum)
	pw.chunk("IDAT", tail[:])
	pw.chunk("IEND", nil)
	if pw.err != nil {
		return pw.err
	}
	return bw.Flush()
}

// pngBand is a band of rows of a PNG and its compressed bytes.
type pngBand struct {
	y0, y1 int           // rows y0 to y1-1, from the image's top
	out    bytes.Buffer  // the DEFLATE blocks of the rows
	sum    uint32        // Adler-32 of the rows
	err    error         // from compressing
	done   chan struct{} // closed when the rest is set
}

// compress writes the band's rows into row (one row long), each with
// its filter byte, and compresses them with zw, which writes to b.out;
// the last band closes the DEFLATE stream, the others end with a sync
// flush.
func (b *pngBand) compress(img *image.RGBA, row []byte, zw *flate.Writer, last bool) {
	h := adler32.New()
	wd := img.Rect.Dx()
	for y := b.y0; y < b.y1; y++ {
		rgbRow(row, img.Pix[y*img.Stride:y*img.Stride+4*wd])
		h.Write(row)
		if _, err := zw.Write(row); err != nil {
			b.err = err
			return
		}
	}
	b.sum = h.Sum32()
	if last {
		b.err = zw.Close()
	} else {
		b.err = zw.Flush()
	}
}

// rgbRow writes a row of RGBA pixels to dst as the filter byte 0 (None)
// and their RGB.
func rgbRow(dst, rgba []byte) {
	dst[0] = 0
	d := dst[1:]
	for i, j := 0, 0; i+3 < len(rgba) && j+2 < len(d); i, j = i+4, j+3 {
		d[j], d[j+1], d[j+2] = rgba[i], rgba[i+1], rgba[i+2]
	}
}

// adler32Combine returns the Adler-32 sum of a sequence of bytes whose
// first part sums to a1 and whose second part, n bytes long, sums to a2.
// With A the low half (1 plus the sum of the bytes) and B the high half
// (the sum of the A after each byte), joining adds the second part's
// bytes to A, and adds to B the second part's B and, for each of its n
// bytes, the first part's bytes, n·(A1−1).
func adler32Combine(a1, a2 uint32, n int64) uint32 {
	const mod = 65521
	A1, B1 := uint64(a1&0xffff), uint64(a1>>16)
	A2, B2 := uint64(a2&0xffff), uint64(a2>>16)
	A := (A1 + A2 + mod - 1) % mod
	B := (B1 + B2 + uint64(n%mod)*((A1+mod-1)%mod)) % mod
	return uint32(B<<16 | A)
}

// pngWriter writes PNG chunks and remembers the first error.
type pngWriter struct {
	w   io.Writer
	err error
}

func (p *pngWriter) write(b []byte) {
	if p.err == nil {
		_, p.err = p.w.Write(b)
	}
}

// chunk writes a chunk: its length, type, data and CRC-32.
func (p *pngWriter) chunk(typ string, data []byte) {
	var head [8]byte
	binary.BigEndian.PutUint32(head[:4], uint32(len(data)))
	copy(head[4:], typ)
	crc := crc32.NewIEEE()
	crc.Write(head[4:])
	crc.Write(data)
	var tail [4]byte
	binary.BigEndian.PutUint32(tail[:], crc.Sum32())
	p.write(head[:])
	p.write(data)
	p.write(tail[:])
}
