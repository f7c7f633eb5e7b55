package main

import (
	"context"
	"fmt"
	"io"
)

// runCheck validates bot files. The story package fills it in.
func runCheck(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "parley check: not built yet")
	return 1
}
