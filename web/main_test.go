package web_test

import (
	"os"
	"testing"

	"github.com/parleybot/parley/internal/browsertest"
)

// The browser tests share one process per browser.
func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
