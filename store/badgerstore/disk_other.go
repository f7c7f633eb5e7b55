//go:build !unix

package badgerstore

import "errors"

// freeSpace is not known on this system: the disk reserve is not checked.
func freeSpace(dir string) (int64, error) { return 0, errors.ErrUnsupported }
