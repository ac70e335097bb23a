//go:build !unix

package loops

import "time"

// processCPU is not measured here.
func processCPU() time.Duration { return 0 }
