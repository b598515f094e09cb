using AztecInfra.Cli;

// The CDK's jsii runtime runs on the machine's Node.js and prints a large banner when that major version
// is past end of life (this project's machines have Node 20). The banner is noise in plans and CI logs;
// the variable lists the majors to silence, so a newer unsupported Node still warns.
Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "18,20");

return CliApp.Run(args, Console.Out, Console.Error, CliContext.ForProcess());
