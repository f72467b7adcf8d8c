"""Operations: backup and restore of the database and the photo files (issue #14)."""
