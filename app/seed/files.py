"""Placeholder documents for demo attachments (so downloads work on a demo install)."""

from app.core.text import fold


def placeholder_pdf(title: str) -> bytes:
    """A one-page PDF saying what the real document would be (PDF base fonts are ASCII-only)."""
    text = fold(title).encode("ascii", "replace").decode().replace("\\", "").replace("(", "[")
    text = text.replace(")", "]")[:90]
    stream = (
        f"BT /F1 14 Tf 56 780 Td (techx - tai lieu mau / demo document) Tj "
        f"0 -24 Td /F1 10 Tf ({text}) Tj ET"
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
