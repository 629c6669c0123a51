// Runs the loopback Dynatrace on its own, for local runs of the function app against a fake tenant.
Console.WriteLine("Dynatrace sandbox: not built yet.");
