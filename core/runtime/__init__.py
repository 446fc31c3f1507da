"""What one request or one run carries (its id, its memo, the batch it writes for), the middleware that starts
it, and which installed apps are the project's own."""
