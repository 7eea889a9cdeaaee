"""How the gateway reaches the services: one interface, two implementations."""
