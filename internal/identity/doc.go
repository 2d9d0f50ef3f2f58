// Package identity validates and protects the identifiers of persons: the 18-character
// resident identity number (居民身份证号, GB 11643) and phone numbers. It normalises and
// checks them, derives the keyed hash used for matching, encrypts them with an AEAD for
// an authorised reveal, and masks them for display. It also says when two names resemble
// closely enough (same toneless pinyin, one character apart) for the identity review
// queue. It must never log, print or return a number in clear except through Keys.Open,
// and it never touches the database.
package identity
