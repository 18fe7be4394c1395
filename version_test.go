package strata

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestBuildInfoStandalone(t *testing.T) {
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: modulePath, Version: "(devel)"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "1a2b3c4d5e6f7a8b9c0d"},
			{Key: "vcs.time", Value: "2026-12-07T21:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	got := buildInfoFrom(bi).String()
	want := "strata (devel) rev 1a2b3c4d5e6f, 2026-12-07T21:00:00Z, modified (go1.26.8)"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestBuildInfoMounted(t *testing.T) {
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "example.com/myapp", Version: "v1.2.0"},
		Deps: []*debug.Module{
			{Path: "github.com/spf13/cobra", Version: "v1.10.2"},
			{Path: modulePath, Version: "v0.4.0"},
		},
		// The application's VCS settings are not strata's.
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "ffff"}},
	}
	info := buildInfoFrom(bi)
	if got, want := info.String(), "strata v0.4.0 in example.com/myapp v1.2.0 (go1.26.8)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	bi.Deps[1].Replace = &debug.Module{Path: "../strata"}
	if got := buildInfoFrom(bi).Version; !strings.Contains(got, "replaced by ../strata") {
		t.Errorf("a replaced strata reads %q", got)
	}
}

// TestReadBuildInfo reads the test binary's own information: strata is
// its main module.
func TestReadBuildInfo(t *testing.T) {
	info, ok := ReadBuildInfo()
	if !ok {
		t.Skip("the test binary has no build information")
	}
	if info.GoVersion == "" || info.Version == "unknown" {
		t.Errorf("build information not read: %+v", info)
	}
}
