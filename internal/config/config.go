// Package config holds the one configuration struct of talentdb, filled from the
// environment and then from command-line flags, and passed down explicitly. It must never
// become a global: every package receives what it needs as an argument.
package config

import (
	"flag"
	"os"
	"strconv"
	"time"
)

// DefaultDatabaseURL is the local PostgreSQL a developer machine runs.
const DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/talentdb?sslmode=disable"

// Config is everything a talentdb command can be told from outside.
type Config struct {
	// DatabaseURL is the primary PostgreSQL (DATABASE_URL, --database-url).
	DatabaseURL string
	// ReplicaURL is a streaming standby of the primary that takes the read-only
	// analytics (REPLICA_DATABASE_URL); empty means everything runs on the primary.
	ReplicaURL string
	// ListenAddr is where `serve` listens (LISTEN_ADDR, --listen).
	ListenAddr string
	// SecretKey is the master secret (hex or base64 of 32 bytes) from which the identity
	// number encryption and matching keys are derived (TALENTDB_SECRET_KEY). When empty,
	// KeyFile is read; it is created with a random key only for a database that holds no
	// encrypted number yet (docs/security.md, "The key file").
	SecretKey string
	// KeyFile holds the master secret (TALENTDB_KEY_FILE, --key-file); default
	// $XDG_CONFIG_HOME/talentdb/secret.key (~/.config/talentdb/secret.key).
	KeyFile string
	// LogLevel is debug, info, warn or error (LOG_LEVEL).
	LogLevel string
	// LogFormat is json or text (LOG_FORMAT).
	LogFormat string
	// ShutdownTimeout bounds how long in-flight requests may take after SIGTERM.
	ShutdownTimeout time.Duration
	// MaxBodyBytes limits JSON request bodies.
	MaxBodyBytes int64
	// ImportMaxBytes limits a file uploaded to POST /api/v1/imports/{kind}
	// (IMPORT_MAX_MIB, in MiB); 0 means the importer's default (50 MiB).
	ImportMaxBytes int64
	// DatabaseMaxConns is the size of the primary's connection pool (DATABASE_MAX_CONNS;
	// default DefaultMaxConns). A pipelined read holds a connection for one round trip, so
	// a few per core serve many clients; more only queue inside PostgreSQL.
	DatabaseMaxConns int32
	// APIRatePerMinute is how many API requests an account may make a minute
	// (API_RATE_PER_MINUTE; default DefaultAPIRatePerMinute; 0 or "off": no limit).
	APIRatePerMinute int
	// TrustedProxies are the reverse proxies (addresses or CIDR prefixes, comma-separated)
	// whose X-Forwarded-For names the client (TRUSTED_PROXIES); empty: the TCP peer is.
	TrustedProxies string
	// PprofAddr, when set, is a loopback address where `serve` answers Go's profiler
	// (net/http/pprof) on a listener of its own (PPROF_ADDR, e.g. 127.0.0.1:6060); empty:
	// no profiler. It is refused on any other address: profiles show the program's memory.
	PprofAddr string

	// PublicBaseURL is the web app's address as users reach it (PUBLIC_BASE_URL), the root
	// of the links in the reminders' digests (docs/reminders.md).
	PublicBaseURL string
	// SMTPAddr (host:port), SMTPFrom and the optional SMTPUsername/SMTPPassword are the
	// mail server of the e-mailed digests (SMTP_ADDR, SMTP_FROM, SMTP_USERNAME, SMTP_PASSWORD).
	SMTPAddr, SMTPFrom, SMTPUsername, SMTPPassword string
	// RemindDailyAt is when `serve` sends the day's digests itself, HH:MM in China time
	// (REMIND_DAILY_AT); empty or "off": never (cron runs `talentdb remind` instead).
	RemindDailyAt string
	// RemindWebhookHosts are the host names a reminder webhook may post to, comma-separated
	// (REMIND_WEBHOOK_HOSTS); empty: the two robots', qyapi.weixin.qq.com and oapi.dingtalk.com.
	RemindWebhookHosts string
}

// DefaultMaxConns is the pool size of `serve` unless DATABASE_MAX_CONNS says otherwise:
// twice pgx's default on a 2-core machine, enough to keep both cores of a database on the
// same host busy while requests wait on the network.
const DefaultMaxConns = 8

// DefaultAPIRatePerMinute is the per-account API limit unless API_RATE_PER_MINUTE says
// otherwise.
const DefaultAPIRatePerMinute = 600

// FromEnv returns the configuration given by the environment, with defaults.
func FromEnv() Config {
	c := Config{
		DatabaseURL:     getenv("DATABASE_URL", DefaultDatabaseURL),
		ReplicaURL:      os.Getenv("REPLICA_DATABASE_URL"),
		ListenAddr:      getenv("LISTEN_ADDR", ":8080"),
		SecretKey:       os.Getenv("TALENTDB_SECRET_KEY"),
		KeyFile:         getenv("TALENTDB_KEY_FILE", defaultKeyFile()),
		LogLevel:        getenv("LOG_LEVEL", "info"),
		LogFormat:       getenv("LOG_FORMAT", "json"),
		ShutdownTimeout: 20 * time.Second,
		MaxBodyBytes:    1 << 20,
		TrustedProxies:  os.Getenv("TRUSTED_PROXIES"),
		PprofAddr:       os.Getenv("PPROF_ADDR"),
		PublicBaseURL:   os.Getenv("PUBLIC_BASE_URL"),
		SMTPAddr:        os.Getenv("SMTP_ADDR"),
		SMTPFrom:        os.Getenv("SMTP_FROM"),
		SMTPUsername:    os.Getenv("SMTP_USERNAME"),
		SMTPPassword:    os.Getenv("SMTP_PASSWORD"),
		RemindDailyAt:   os.Getenv("REMIND_DAILY_AT"),

		RemindWebhookHosts: os.Getenv("REMIND_WEBHOOK_HOSTS"),

		DatabaseMaxConns: DefaultMaxConns,
		APIRatePerMinute: DefaultAPIRatePerMinute,
	}
	if n, err := strconv.ParseInt(os.Getenv("DATABASE_MAX_CONNS"), 10, 32); err == nil && n > 0 {
		c.DatabaseMaxConns = int32(n)
	}
	switch v := os.Getenv("API_RATE_PER_MINUTE"); v {
	case "":
	case "off":
		c.APIRatePerMinute = 0
	default:
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			c.APIRatePerMinute = n
		}
	}
	if d, err := time.ParseDuration(os.Getenv("SHUTDOWN_TIMEOUT")); err == nil && d > 0 {
		c.ShutdownTimeout = d
	}
	if n, err := strconv.ParseInt(os.Getenv("IMPORT_MAX_MIB"), 10, 64); err == nil && n > 0 {
		c.ImportMaxBytes = n << 20
	}
	return c
}

// RegisterCommon adds the flags every command accepts; a flag overrides its variable.
func (c *Config) RegisterCommon(fs *flag.FlagSet) {
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "PostgreSQL connection URL (DATABASE_URL)")
	fs.StringVar(&c.KeyFile, "key-file", c.KeyFile, "file holding the identity-number master key (TALENTDB_KEY_FILE)")
}

func getenv(k, def string) string {
	if v, ok := os.LookupEnv(k); ok && v != "" {
		return v
	}
	return def
}

func defaultKeyFile() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ".talentdb-secret.key"
	}
	return dir + "/talentdb/secret.key"
}
