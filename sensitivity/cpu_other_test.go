//go:build !unix

package sensitivity

import "time"

// processCPU is not measured here.
func processCPU() time.Duration { return 0 }
