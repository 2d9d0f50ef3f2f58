package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// The embedded files: templates are parsed at start-up, assets served under /static/.
//
//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// asset is one static file and the short hash of its content, which versions its URL.
type asset struct {
	body []byte
	hash string
	ct   string
}

// assetSet is every static file by its path under assets/.
type assetSet struct {
	files map[string]asset
}

// loadAssets reads and hashes the embedded assets once.
func loadAssets() *assetSet {
	s := &assetSet{files: map[string]asset{}}
	err := fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assetFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		if strings.HasSuffix(p, ".js") {
			ct = "text/javascript; charset=utf-8"
		}
		s.files[strings.TrimPrefix(p, "assets/")] = asset{body: b, hash: hex.EncodeToString(sum[:6]), ct: ct}
		return nil
	})
	if err != nil {
		panic("web: assets: " + err.Error())
	}
	return s
}

// url is the versioned address of an asset: a new content gets a new URL, so the files
// can be cached for a year.
func (s *assetSet) url(name string) string {
	a, ok := s.files[name]
	if !ok {
		panic("web: unknown asset " + name)
	}
	return "/static/" + name + "?v=" + a.hash
}

// static serves an embedded asset: cached for a year when asked by its versioned URL.
func (a *app) static(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	f, ok := a.assets.files[name]
	if !ok {
		a.notFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ct)
	if r.URL.Query().Get("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	h.Set("ETag", `"`+f.hash+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}
