//go:build !unix

package sqlite

import (
	"os"
	"path/filepath"
	"sync"
)

// Without flock (Windows and the rest), the lock file excludes runners of
// this process only; runners in other processes fall back on SQLite's
// write lock, one transaction at a time.
var fileLocks sync.Map // absolute path -> *sync.Mutex held

func tryLockFile(f *os.File) (bool, error) {
	path, err := filepath.Abs(f.Name())
	if err != nil {
		return false, err
	}
	mu, _ := fileLocks.LoadOrStore(path, new(sync.Mutex))
	return mu.(*sync.Mutex).TryLock(), nil
}

func unlockFile(f *os.File) error {
	path, err := filepath.Abs(f.Name())
	if err != nil {
		return err
	}
	if mu, ok := fileLocks.Load(path); ok {
		mu.(*sync.Mutex).Unlock()
	}
	return nil
}
