//go:build !unix

package main

import "math"

// cpuSeconds is not known on this system; eval reports it as null.
func cpuSeconds() float64 { return math.NaN() }

// peakRSSMB is not known on this system; eval reports it as null.
func peakRSSMB() float64 { return math.NaN() }
