using AztecInfra.Cli;

return CliApp.Run(args, Console.Out, Console.Error, CliContext.ForProcess());
