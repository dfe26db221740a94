-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The SHA-256 of each certificate's PDF exactly as issued (with its
-- document signature), so that an uploaded file can be recognised as the
-- issued document; NULL for certificates issued before PDFs were signed.
-- The document signing certificates themselves are files in keys/pdf/,
-- made at start-up for installations that have none.
ALTER TABLE certificate ADD COLUMN pdf_sha256 TEXT;
CREATE INDEX certificate_pdf_sha256 ON certificate(pdf_sha256);
