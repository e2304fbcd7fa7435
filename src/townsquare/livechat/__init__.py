"""Live chat: the embeddable widget, its WebSocket consumer and the customer's chat sessions."""
