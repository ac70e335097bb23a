package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
)

// sizeFlag is the value of a flag that takes a size in bytes, as 1000,
// 64K, 64M or 1G (K, M and G multiply by 1024, 1024² and 1024³; KiB,
// MiB, GiB and KB, MB, GB mean the same).
type sizeFlag int64

func (s *sizeFlag) String() string { return decl.FormatSize(int64(*s)) }

func (s *sizeFlag) Set(v string) error {
	t := strings.ToUpper(strings.TrimSpace(v))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "I")
	mult := int64(1)
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		}
		if mult > 1 {
			t = t[:n-1]
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return fmt.Errorf("want a positive size in bytes, as 1000, 64K, 64M or 1G, not %q", v)
	}
	*s = sizeFlag(n * mult)
	return nil
}
