"""Live updates over WebSockets (Channels): groups, publishing, and the consumers' routing."""
