// The build context as `docker build .` sends it: every file under the repository, tracked by
// git or not, less what .dockerignore excludes. The patterns are read and matched with
// moby/patternmatcher, the package Docker's CLI and BuildKit use for .dockerignore, so `node_modules`
// excludes only the top-level folder and `!pattern` exceptions work as they do there.
package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

func copyContext(repo, dest string) error {
	var patterns []string
	if f, err := os.Open(filepath.Join(repo, ".dockerignore")); err == nil {
		patterns, err = ignorefile.ReadAll(f)
		f.Close()
		if err != nil {
			return fmt.Errorf(".dockerignore: %v", err)
		}
	} else if !os.IsNotExist(err) {
		return err
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return fmt.Errorf(".dockerignore: %v", err)
	}
	files, bytes := 0, int64(0)
	err = filepath.WalkDir(repo, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(repo, p)
		if err != nil || rel == "." {
			return err
		}
		excluded, err := pm.MatchesOrParentMatches(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		if excluded {
			// A folder is skipped whole unless an exception pattern may bring part of it back.
			if d.IsDir() && !pm.Exclusions() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dest, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			files++
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			files++
			bytes += info.Size()
			return copyFile(p, target, info.Mode().Perm())
		default:
			return nil // sockets, fifos: not sent by docker either
		}
	})
	if err != nil {
		return err
	}
	fmt.Printf("%d files, %.1f MB\n", files, float64(bytes)/1e6)
	return nil
}

func copyFile(src, dst string, mode fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
