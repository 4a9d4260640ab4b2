"""Security: secrets masked in every output, credentials kept on their origin, requests bounded."""
